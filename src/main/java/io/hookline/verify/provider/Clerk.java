package io.hookline.verify.provider;

import io.hookline.verify.Provider;

/** Clerk (sends through Svix): Standard Webhooks with {@code svix-*} headers and a {@code whsec_} secret. */
public final class Clerk {
  public static final Provider PROVIDER = StandardWebhooks.named("clerk", "https://clerk.com/docs/webhooks/sync-data", "`svix-*`", "svix").build();

  private Clerk() {}
}
