package dev.rig.build.cache;

/** One kind's share of the cache: how many entries and how many bytes on disk. */
public record KindTotal(String kind, String holds, int entries, long bytes) {}
