package dev.cube.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine around a {@link TaskStore}: log entries carry {@link Command}s as JSON,
 * read-only requests carry {@link Query}s, snapshots are {@link SnapshotFile}s.
 */
public final class CubeStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(CubeStateMachine.class);

    private final TaskStore store = new TaskStore();
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private volatile LeadershipListener leadership = LeadershipListener.NONE;

    public TaskStore store() {
        return store;
    }

    /** {@code listener} runs on the apply thread after every applied command: keep it short. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    public void setLeadershipListener(LeadershipListener listener) {
        this.leadership = listener;
    }

    public static Message encode(Object commandOrQuery) {
        return Message.valueOf(ByteString.copyFrom(Json.bytes(commandOrQuery)));
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(() -> load(storage.loadLatestSnapshot()));
    }

    /** Ratis's default pause does nothing, which breaks installing a snapshot from the leader. */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        store.restore(SnapshotFile.read(snapshot.getFile().getPath()));
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("restored snapshot {} ({} tasks, {} workers)", snapshot.getTermIndex(),
                store.tasks().size(), store.workers().size());
        changeListeners.forEach(Runnable::run);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        Outcome outcome;
        try {
            Command command = Json.read(entry.getStateMachineLogEntry().getLogData().newInput(), Command.class);
            outcome = store.apply(entry.getTerm(), entry.getIndex(), command);
        } catch (RuntimeException e) {
            // An entry this version cannot read must not stop the log; it is refused, visibly.
            LOG.error("entry {} is not a command this manager understands: {}", entry.getIndex(), e.toString());
            outcome = new Outcome.Rejected(Outcome.Reason.INVALID, "unreadable command: " + e.getMessage());
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        changeListeners.forEach(Runnable::run);
        return CompletableFuture.completedFuture(encode(outcome));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            Query query = Json.read(request.getContent().toByteArray(), Query.class);
            return CompletableFuture.completedFuture(Message.valueOf(
                    ByteString.copyFrom(Json.bytes(store.query(query)))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "unreadable query: " + request.getContent().toString(StandardCharsets.UTF_8), e));
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        var file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        SnapshotFile.write(store.image(), file.toPath());
        MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(
                new org.apache.ratis.server.storage.FileInfo(file.toPath(), MD5FileUtil.readStoredMd5ForFile(file)),
                last));
        LOG.info("took snapshot at {} ({} tasks)", last, store.tasks().size());
        return last.getIndex();
    }

    @Override
    public void notifyLeaderReady() {
        leadership.onLeaderReady();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        leadership.onSteppedDown();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
        leadership.onLeaderChanged(newLeaderId == null ? null : newLeaderId.toString());
    }
}
