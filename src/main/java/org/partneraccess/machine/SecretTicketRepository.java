package org.partneraccess.machine;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface SecretTicketRepository extends JpaRepository<SecretTicket, String> {

    Optional<SecretTicket> findByTokenHash(String tokenHash);

    List<SecretTicket> findByIdentityIdAndRetrievedAtIsNullAndClosedAtIsNull(String identityId);
}
