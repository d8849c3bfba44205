package org.partneraccess.audit;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface AuditEventRepository extends JpaRepository<AuditEvent, Long> {

    List<AuditEvent> findByPartnershipKeyOrderById(String partnershipKey);

    List<AuditEvent> findByIdentityIdOrderById(String identityId);

    Optional<AuditEvent> findFirstByPartnershipKeyAndActionOrderByIdDesc(String partnershipKey, String action);
}
