package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Replaces the secret in Keycloak; the new secret is never seen here, its owner collects it once. */
@Component
class RotateClientSecretDelegate implements JavaDelegate {

    private final MachineAccessService access;

    RotateClientSecretDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.rotateSecret(subject(execution));
    }
}
