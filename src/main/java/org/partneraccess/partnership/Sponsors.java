package org.partneraccess.partnership;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who approves as sponsor: the person the registry names for the object the process instance is bound to (its business
 * key), never a variable and never the whole sponsors group. Used by the user tasks' candidate users.
 */
@Component("sponsors")
public class Sponsors {

    private final PartnershipRepository partnerships;
    private final IdentityRegistry identities;

    Sponsors(PartnershipRepository partnerships, IdentityRegistry identities) {
        this.partnerships = partnerships;
        this.identities = identities;
    }

    /** The partnership's sponsor, or for a partner person the sponsor recorded on that person. */
    @Transactional(readOnly = true)
    public String of(DelegateExecution execution) {
        String key = execution.getProcessBusinessKey();
        if (key == null) {
            throw new IllegalStateException("The process instance is bound to no registry object");
        }
        return partnerships.findById(key).map(Partnership::getSponsor)
                .or(() -> identities.find(key).map(identity -> identity.getOwner()))
                .orElseThrow(() -> new IllegalStateException("No partnership or identity " + key + " in the registry"));
    }

    /** No candidate: for a task attribute whose other branch does not apply (the engine takes no null there). */
    public List<String> none() {
        return List.of();
    }
}
