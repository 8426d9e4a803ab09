package io.hookline.delivery;

import io.hookline.expression.EventContext;
import io.hookline.store.ClaimedDelivery;

/**
 * One attempt about to run: the claimed delivery, its destination (resolved once), its permit, and the
 * event as its expressions see it when it came by hand-off (null: read back when the destination needs it).
 */
record Delivery(ClaimedDelivery claim, DestinationTarget target, Permit permit, EventContext event) {}
