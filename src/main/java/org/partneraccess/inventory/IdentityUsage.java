package org.partneraccess.inventory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records when an identity was used, as the usage job sees it in Keycloak's events: statements that only move the
 * time forward, so they never conflict with a process updating the same identity (the entity itself never writes the
 * column) and two writers never move it back; the first use is audit evidence of the partner's own.
 */
@Service
public class IdentityUsage {


    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final PartnerIdentityRepository identities;

    IdentityUsage(JdbcTemplate jdbc, AuditLog audit, PartnerIdentityRepository identities) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.identities = identities;
    }

    /** Records a use seen at {@code at}; returns true when it was the identity's first. */
    @Transactional
    public boolean recordUse(String identityId, Instant at) {
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        if (jdbc.update("update partner_identity set last_used_at = ? where identity_id = ? and last_used_at is null",
                time, identityId) == 1) {
            Map<String, Object> identity = jdbc.queryForMap(
                    "select partnership_key, keycloak_name from partner_identity where identity_id = ?", identityId);
            audit.record(ActorKind.PARTNER, String.valueOf(identity.get("keycloak_name")), IdentityAction.IDENTITY_FIRST_USED,
                    String.valueOf(identity.get("partnership_key")), identityId,
                    "first sign-in, accepted terms or token seen by the partner realm at " + at);
            return true;
        }
        jdbc.update("update partner_identity set last_used_at = ? where identity_id = ? and last_used_at < ?", time,
                identityId, time);
        return false;
    }

    /**
     * The same forward move for a use its caller read from Keycloak itself (a machine's last token while its disuse is
     * judged), without the first-use evidence, which stays with the usage job's reading of the events.
     */
    @Transactional
    public void recordSeen(String identityId, Instant at) {
        identities.recordUse(identityId, at);
    }
}
