package org.partneraccess.audit;

import java.time.Instant;

/**
 * One audit entry as auditors read it: what happened, who did it and of what kind they are, its chain hashes, and its
 * chain and position there (null for an entry of the legacy segment).
 */
public record Evidence(Long id, Instant occurredAt, ActorKind actorKind, String actor, String action,
                       String partnershipKey, String identityId, String detail, String previousHash, String hash,
                       int hashVersion, String chain, Long chainPosition) {

    static Evidence of(AuditEvent event) {
        return new Evidence(event.getId(), event.getOccurredAt(), event.getActorKind(), event.getActor(),
                event.getAction(), event.getPartnershipKey(), event.getIdentityId(), event.getDetail(),
                event.getPreviousHash(), event.getHash(), event.getHashVersion(), event.getChainKey(),
                event.getChainPosition());
    }
}
