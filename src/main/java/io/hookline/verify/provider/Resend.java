package io.hookline.verify.provider;

import io.hookline.verify.Provider;

/** Resend (sends through Svix): Standard Webhooks with {@code svix-*} headers and a {@code whsec_} secret. */
public final class Resend {
  public static final Provider PROVIDER = StandardWebhooks.named("resend", "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests", "`svix-*`", "svix").build();

  private Resend() {}
}
