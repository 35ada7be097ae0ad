package dev.cube.manager;

import com.codahale.metrics.Counter;
import dev.cube.store.LeadershipListener;

/** Counts leader changes seen by this manager, then hands them on to the leader duties. */
record CountingLeadership(LeadershipListener next, Counter changes) implements LeadershipListener {

    @Override
    public void onLeaderReady() {
        next.onLeaderReady();
    }

    @Override
    public void onLeaderChanged(String leaderId) {
        changes.inc();
        next.onLeaderChanged(leaderId);
    }

    @Override
    public void onSteppedDown() {
        next.onSteppedDown();
    }
}
