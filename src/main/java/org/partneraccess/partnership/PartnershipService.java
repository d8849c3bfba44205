package org.partneraccess.partnership;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.PartnerIdentityRepository;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The partnership registry: request, decision and activation, each with its audit evidence. */
@Service
public class PartnershipService {

    private final PartnershipRepository partnerships;
    private final PartnerIdentityRepository identities;
    private final StaffDirectory staff;
    private final Validator validator;
    private final AuditLog audit;

    PartnershipService(PartnershipRepository partnerships, PartnerIdentityRepository identities, StaffDirectory staff,
                       Validator validator, AuditLog audit) {
        this.partnerships = partnerships;
        this.identities = identities;
        this.staff = staff;
        this.validator = validator;
        this.audit = audit;
    }

    /** Registers a valid request as REQUESTED, with the partner contact as its first identity; returns that identity's id. */
    @Transactional
    public String register(PartnershipRequest request, String requester) {
        validate(request, requester);
        Partnership partnership = partnerships.save(new Partnership(request.partnershipKey(), request.legalName(),
                request.sponsor(), request.businessOwner(), request.technicalOwner(), request.purpose(),
                request.dataClasses(), request.environments(), request.clientScopes(), request.endDate(), requester));
        String contactEmail = request.contactEmail().toLowerCase();
        PartnerIdentity contact = identities.save(new PartnerIdentity(UUID.randomUUID().toString(), partnership.getKey(),
                IdentityKind.HUMAN, request.contactFirstName() + " " + request.contactLastName(), contactEmail,
                contactEmail, request.sponsor(), "Primary contact of " + request.legalName(), null, Set.of(),
                request.endDate().atTime(LocalTime.MAX).toInstant(ZoneOffset.UTC), requester));
        audit.record(requester, "PARTNERSHIP_REQUESTED", partnership.getKey(), null,
                "sponsor=" + request.sponsor() + "; endDate=" + request.endDate() + "; scopes=" + request.clientScopes());
        return contact.getId();
    }

    @Transactional
    public void approve(String partnershipKey, String approver) {
        Partnership partnership = get(partnershipKey);
        partnership.approve(approver, Instant.now());
        identities.findByPartnershipKeyOrderById(partnershipKey).forEach(identity -> identity.approve(approver, Instant.now()));
        audit.record(approver, "PARTNERSHIP_APPROVED", partnershipKey, null, null);
    }

    @Transactional
    public void reject(String partnershipKey, String approver, String reason) {
        Partnership partnership = get(partnershipKey);
        partnership.moveTo(LifecycleState.REJECTED, reason);
        identities.findByPartnershipKeyOrderById(partnershipKey)
                .forEach(identity -> identity.moveTo(LifecycleState.REJECTED, reason));
        audit.record(approver, "PARTNERSHIP_REJECTED", partnershipKey, null, reason);
    }

    @Transactional
    public void activate(String partnershipKey) {
        get(partnershipKey).moveTo(LifecycleState.ACTIVE, null);
        audit.record("system", "PARTNERSHIP_ACTIVATED", partnershipKey, null, null);
    }

    @Transactional(readOnly = true)
    public Partnership get(String partnershipKey) {
        return partnerships.findById(partnershipKey)
                .orElseThrow(() -> new PartnershipNotFoundException(partnershipKey));
    }

    /** Throws {@link InvalidRequestException} naming every invalid field; changes nothing. */
    @Transactional(readOnly = true)
    public void checkRequest(PartnershipRequest request, String requester) {
        validate(request, requester);
    }

    private void validate(PartnershipRequest request, String requester) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<PartnershipRequest> violation : validator.validate(request)) {
            errors.merge(violation.getPropertyPath().toString().replaceAll("\\[.*", ""), violation.getMessage(),
                    (a, b) -> a + "; " + b);
        }
        if (request.partnershipKey() != null && partnerships.existsById(request.partnershipKey())) {
            errors.putIfAbsent("partnershipKey", "a partnership with this key exists already");
        }
        if (request.sponsor() != null && !errors.containsKey("sponsor")) {
            if (request.sponsor().equals(requester)) {
                errors.put("sponsor", "the sponsor must be someone other than the requester");
            } else if (!staff.isMember(request.sponsor(), StaffGroups.SPONSORS)) {
                errors.put("sponsor", "not a known staff user in the sponsors group");
            }
        }
        checkStaffUser(errors, "businessOwner", request.businessOwner());
        checkStaffUser(errors, "technicalOwner", request.technicalOwner());
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private void checkStaffUser(Map<String, String> errors, String field, String userId) {
        if (userId != null && !errors.containsKey(field) && !staff.exists(userId)) {
            errors.put(field, "not a known staff user");
        }
    }
}
