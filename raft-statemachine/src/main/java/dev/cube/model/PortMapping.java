package dev.cube.model;

/** A container port published on a host port of the worker ({@code hostPort} 0 = any free port). */
public record PortMapping(int hostPort, int containerPort, String protocol) {}
