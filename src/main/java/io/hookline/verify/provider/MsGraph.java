package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** Microsoft Graph change notifications: clientState equals the secret; validationToken echoed. */
public final class MsGraph {
  public static final Provider PROVIDER = Provider.named("msgraph")
      .docs("https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks")
      .scheme("every notification's `clientState` equals the secret (no signature)")
      .secret("the subscription's clientState")
      .eventId("SHA-256 of `value[0]` subscriptionId + changeType + resource")
      .eventType("`value[0].changeType`")
      .handshake("`POST ?validationToken=…` echoed as text/plain, not stored")
      .verifier(SchemeFactories::msgraph)
      .signer(in -> SignedEvent.json(Map.of(), utf8("{\"value\":[{\"subscriptionId\":" + Bodies.quoted(in.eventId())
          + ",\"clientState\":" + Bodies.quoted(in.secret()) + ",\"changeType\":\"created\",\"resource\":\"hookline/test\"}]}")))
      .build();

  private MsGraph() {}
}
