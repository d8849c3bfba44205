package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class VerifyRevocationDelegate implements JavaDelegate {

    private final RevocationVerification verification;
    private final PartnershipAccessService access;

    VerifyRevocationDelegate(RevocationVerification verification, PartnershipAccessService access) {
        this.verification = verification;
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Date cutOffAt = (Date) execution.getVariable(INCIDENT_CUT_OFF_AT);
        Date reportedAt = execution.getVariable(INCIDENT_REPORTED_AT) instanceof Date date ? date : cutOffAt;
        verification.verify(subject(execution), reportedAt.toInstant(), cutOffAt.toInstant());
        // after the verdict: the identity processes' own jobs would otherwise queue before this step's
        access.tellIdentitiesOfIncident(subject(execution), RevokeForIncidentDelegate.incidentReason(execution),
                actor(execution));
    }
}
