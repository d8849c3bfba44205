package org.partneraccess.inventory;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface PartnerIdentityRepository extends JpaRepository<PartnerIdentity, String>,
        JpaSpecificationExecutor<PartnerIdentity> {

    List<PartnerIdentity> findByPartnershipKeyOrderById(String partnershipKey);

    List<PartnerIdentity> findByPartnershipKeyAndStateInOrderById(String partnershipKey,
                                                                  java.util.Collection<org.partneraccess.LifecycleState> states);

    List<PartnerIdentity> findByKindAndKeycloakNameAndStateIn(IdentityKind kind, String keycloakName,
                                                              java.util.Collection<org.partneraccess.LifecycleState> states);
}
