package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cube managers}: the quorum, each member as it reports itself; the leader is marked with '*'. */
@Command(name = "managers", description = "List the managers of the quorum; '*' marks the leader.")
final class ManagersCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Override
    public Integer call() {
        JsonNode answer = cli.client().get("/managers");
        if (cli.json()) {
            cli.out.println(answer.toPrettyString());
            return ExitCodes.OK;
        }
        String leader = Formats.text(answer, "leader");
        Table table = new Table("ID", "ROLE", "API", "RAFT", "TERM", "COMMIT", "APPLIED");
        for (JsonNode m : answer.path("managers")) {
            String id = Formats.text(m, "id");
            table.row(id.equals(leader) ? id + " *" : id, Formats.text(m, "role"), Formats.text(m, "api"),
                    Formats.text(m, "raft"), Formats.text(m, "term"), Formats.text(m, "commitIndex"),
                    Formats.text(m, "lastAppliedIndex"));
        }
        table.print(cli.out);
        if (leader.isEmpty()) {
            cli.err.println("no leader is known right now");
        }
        return ExitCodes.OK;
    }
}
