package dev.cube.store;

/** Told by the state machine when this manager may start, and must stop, leader-only duties. */
public interface LeadershipListener {

    /** This manager leads and has applied every entry of earlier terms: its store is complete. */
    void onLeaderReady();

    /** Leadership moved ({@code leaderId} is null while unknown); if this manager led, it must stop now. */
    void onLeaderChanged(String leaderId);

    /**
     * This manager led and no longer does (its term ended; the next leader may not be known yet).
     * Ratis says so at once, while {@link #onLeaderChanged} comes only once a new leader is known,
     * which can be seconds later: leader duties must stop here.
     */
    void onSteppedDown();

    LeadershipListener NONE = new LeadershipListener() {
        @Override public void onLeaderReady() {}
        @Override public void onLeaderChanged(String leaderId) {}
        @Override public void onSteppedDown() {}
    };
}
