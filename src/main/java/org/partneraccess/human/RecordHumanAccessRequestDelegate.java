package org.partneraccess.human;

import static org.partneraccess.Variables.*;
import static org.partneraccess.human.HumanAccessVariables.*;

import java.time.Instant;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.security.EngineCaller;
import org.springframework.stereotype.Component;

/** Runs inside the start transaction: an invalid request throws, and nothing is started or stored. */
@Component
class RecordHumanAccessRequestDelegate implements JavaDelegate {

    private final HumanAccessService humans;
    private final HumanAccessProperties properties;

    RecordHumanAccessRequestDelegate(HumanAccessService humans, HumanAccessProperties properties) {
        this.humans = humans;
        this.properties = properties;
    }

    @Override
    public void execute(DelegateExecution execution) {
        HumanAccessRequest request = new HumanAccessRequest(string(execution, FIRST_NAME), string(execution, LAST_NAME),
                string(execution, EMAIL), stringSet(execution, ROLES), string(execution, PURPOSE),
                date(execution, END_DATE));
        String identityId = humans.register(string(execution, PARTNERSHIP_KEY), request,
                EngineCaller.authenticatedUser(execution.getProcessEngineServices()));
        PartnerIdentity identity = humans.get(identityId);
        Instant end = identity.getEndDate();
        execution.setProcessBusinessKey(identityId);
        execution.setVariable(IDENTITY_ID, identityId);
        execution.setVariable(SPONSOR, identity.getOwner());
        execution.setVariable(ACCESS_END, Date.from(end));
        execution.setVariable(FIRST_EXPIRY_WARNING_AT, Date.from(end.minus(properties.firstExpiryWarning())));
        execution.setVariable(FINAL_EXPIRY_WARNING_AT, Date.from(end.minus(properties.finalExpiryWarning())));
    }
}
