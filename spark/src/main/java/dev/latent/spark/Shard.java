package dev.latent.spark;

import java.io.Serializable;

/**
 * One partition's training samples, in the order of their global index, flattened in the engine's
 * layout ({@code [count, size]}, row-major): what an executor's replica trains on every epoch.
 */
record Shard(int partition, int count, float[] rows) implements Serializable {}
