package io.hookline.verify.provider;

import io.hookline.verify.Provider;

/** Svix: Standard Webhooks with {@code svix-*} headers and a {@code whsec_} secret. */
public final class Svix {
  public static final Provider PROVIDER = StandardWebhooks.named("svix", "https://docs.svix.com/receiving/verifying-payloads/how-manual", "`svix-*`", "svix").build();

  private Svix() {}
}
