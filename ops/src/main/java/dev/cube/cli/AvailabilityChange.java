package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Shared by {@code drain} and {@code activate}: POST /workers/{id}/{action}, then one line or the worker JSON. */
final class AvailabilityChange {
    private AvailabilityChange() {}

    static int apply(CubeCli cli, String worker, String action) {
        JsonNode answer = cli.client().post("/workers/" + ManagerClient.encode(worker) + "/" + action, null);
        if (cli.json()) {
            cli.out.println(answer.toPrettyString());
        } else {
            String name = answer.path("name").asText(worker);
            cli.out.println(name + ": " + answer.path("availability").asText(action.equals("drain") ? "drain" : "active"));
        }
        return ExitCodes.OK;
    }
}
