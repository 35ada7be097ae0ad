package dev.cube.store;

/** Told by the state machine when this manager may start, and must stop, leader-only duties. */
public interface LeadershipListener {

    /** This manager leads and has applied every entry of earlier terms: its store is complete. */
    void onLeaderReady();

    /** Leadership moved ({@code leaderId} is null while unknown); if this manager led, it must stop now. */
    void onLeaderChanged(String leaderId);

    LeadershipListener NONE = new LeadershipListener() {
        @Override public void onLeaderReady() {}
        @Override public void onLeaderChanged(String leaderId) {}
    };
}
