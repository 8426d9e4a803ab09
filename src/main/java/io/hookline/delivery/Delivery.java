package io.hookline.delivery;

import io.hookline.store.ClaimedDelivery;

/** One attempt about to run: the claimed delivery, its destination (resolved once) and its permit. */
record Delivery(ClaimedDelivery claim, DestinationTarget target, Permit permit) {}
