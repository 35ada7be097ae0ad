package dev.cube.manager.leader;

/** A duty only the leader performs; started when it becomes ready, stopped when it steps down. */
interface LeaderService {
    void start();

    void stop();
}
