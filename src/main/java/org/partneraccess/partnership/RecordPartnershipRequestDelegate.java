package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.EngineCaller;
import org.springframework.stereotype.Component;

/** Runs inside the start transaction: an invalid request throws, and nothing is started or stored. */
@Component
class RecordPartnershipRequestDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    RecordPartnershipRequestDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        PartnershipRequest request = new PartnershipRequest(
                execution.getBusinessKey() != null ? execution.getBusinessKey() : string(execution, PARTNERSHIP_KEY),
                string(execution, LEGAL_NAME), string(execution, SPONSOR), string(execution, BUSINESS_OWNER),
                string(execution, TECHNICAL_OWNER), string(execution, PURPOSE), stringSet(execution, DATA_CLASSES),
                stringSet(execution, ENVIRONMENTS), stringSet(execution, CLIENT_SCOPES), date(execution, END_DATE),
                string(execution, CONTACT_EMAIL), string(execution, CONTACT_FIRST_NAME), string(execution, CONTACT_LAST_NAME));
        String contactIdentityId = partnerships.register(request,
                EngineCaller.authenticatedUser(execution.getProcessEngineServices()));
        execution.setProcessBusinessKey(request.partnershipKey());
        execution.setVariable(PARTNERSHIP_KEY, request.partnershipKey());
        execution.setVariable(CONTACT_IDENTITY_ID, contactIdentityId);
    }
}
