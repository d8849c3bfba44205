package org.partneraccess.receipt;

import static org.partneraccess.receipt.SignedReceipt.entries;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityView;
import org.partneraccess.keycloak.PartnerClients;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Until when a token issued just before an identity's access ended may still pass a resource server that validates JWTs
 * itself: the end plus that identity's access token lifespan (a machine's own, from Keycloak; the partner realm's for
 * people, which the provisioner may not read, so it is configured). Introspecting resource servers refuse it at once.
 */
@Component
class ResidualExposure {

    /** One identity and when its access ended (null when it never held any). */
    record Ended(IdentityView identity, Instant at) {
    }

    private final PartnerClients partnerClients;
    private final Duration personTokenLifespan;

    ResidualExposure(PartnerClients partnerClients,
                     @Value("${partner-access.receipt.person-token-lifespan:60s}") Duration personTokenLifespan) {
        this.partnerClients = partnerClients;
        this.personTokenLifespan = personTokenLifespan;
    }

    Map<String, Object> of(List<Ended> ended) {
        List<String> clients = ended.stream().map(Ended::identity).filter(Objects::nonNull)
                .filter(identity -> identity.kind() == IdentityKind.MACHINE).map(IdentityView::keycloakName)
                .filter(Objects::nonNull).toList();
        Map<String, Duration> lifespans = partnerClients.accessTokenLifespans(clients, personTokenLifespan);
        Instant until = ended.stream().filter(end -> end.at() != null).map(end -> end.at().plus(
                end.identity() != null && end.identity().kind() == IdentityKind.MACHINE
                        ? lifespans.getOrDefault(end.identity().keycloakName(), personTokenLifespan)
                        : personTokenLifespan)).max(Comparator.naturalOrder()).orElse(null);
        Instant last = ended.stream().map(Ended::at).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        return entries("jwtValidatedLocallyUntil", until, "introspectionRefusesFrom", last);
    }
}
