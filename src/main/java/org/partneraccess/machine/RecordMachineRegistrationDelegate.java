package org.partneraccess.machine;

import static org.partneraccess.Variables.*;
import static org.partneraccess.machine.MachineAccessVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.security.EngineCaller;
import org.springframework.stereotype.Component;

/** Runs inside the start transaction: an invalid request throws, and nothing is started or stored. */
@Component
class RecordMachineRegistrationDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;

    RecordMachineRegistrationDelegate(MachineRegistrationService registrations) {
        this.registrations = registrations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        MachineRegistration request = new MachineRegistration(string(execution, WORKLOAD_NAME),
                string(execution, MACHINE_KIND), string(execution, OWNER), string(execution, PURPOSE),
                string(execution, ENVIRONMENT), stringSet(execution, CLIENT_SCOPES), stringSet(execution, DATA_CLASSES),
                integer(execution, TOKEN_LIFESPAN_SECONDS), date(execution, END_DATE), string(execution, AUTH_METHOD),
                string(execution, JWKS_URL), string(execution, JWKS), string(execution, WORKLOAD_SUBJECT));
        // the REST API chooses the identity id as business key; a Tasklist start form leaves it to us
        String identityId = execution.getBusinessKey() != null ? execution.getBusinessKey()
                : MachineRegistrationService.newIdentityId();
        String requester = EngineCaller.authenticatedUser(execution.getProcessEngineServices());
        PartnerIdentity machine = registrations.register(identityId, string(execution, PARTNERSHIP_KEY), request, requester);
        execution.setProcessBusinessKey(identityId);
        execution.setVariable(IDENTITY_ID, identityId);
        execution.setVariable(OWNER_APPROVER, registrations.approverInOwnersRole(identityId, requester));
        execution.setVariable(AUTH_METHOD, request.authMethod());
        execution.setVariable(CLIENT_SCOPES, String.join(",", new java.util.TreeSet<>(machine.getClientScopes())));
    }

    /** A number as a form (Long or Double), the REST API (Integer) or a script (text) sends it; null when absent. */
    static Integer integer(DelegateExecution execution, String name) {
        Object value = execution.getVariable(name);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new org.partneraccess.InvalidRequestException(java.util.Map.of(name, "not a whole number"));
        }
    }
}
