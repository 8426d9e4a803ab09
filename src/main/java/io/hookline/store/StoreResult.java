package io.hookline.store;

import java.util.UUID;

/** A committed event: ours ({@code duplicate=false}) or the first copy committed earlier. */
public record StoreResult(UUID id, boolean duplicate) {}
