package dev.cube.model;

/** A member of the manager quorum as the store's directory knows it: Raft and API addresses ("host:port"). */
public record ManagerInfo(String id, String raft, String api) {}
