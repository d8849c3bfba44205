package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.spin.Spin;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.AccessEndTrigger;

/** The delegates map variables to one service call and its outcome back; nothing else. */
class MachineDelegatesTest {

    private final MachineRegistrationService registrations = mock(MachineRegistrationService.class);
    private final MachineAccessService access = mock(MachineAccessService.class);

    @Test
    void registrationReadsTheFormsShapesAndSetsTheBusinessKeyAndApprover() throws Exception {
        Map<String, Object> variables = new HashMap<>();
        // a forged requester variable: the registry takes the authenticated starter instead
        variables.put(Variables.REQUESTER, "sam.sponsor");
        variables.put(Variables.PARTNERSHIP_KEY, "acme");
        variables.put(MachineAccessVariables.WORKLOAD_NAME, "Acme order sync");
        variables.put(MachineAccessVariables.MACHINE_KIND, "WORKLOAD");
        variables.put(Variables.OWNER, "ian.owner");
        variables.put(Variables.PURPOSE, "Reads open orders to plan shipments");
        variables.put(MachineAccessVariables.ENVIRONMENT, "test");
        variables.put(Variables.CLIENT_SCOPES, Spin.JSON("[\"orders.read\", \"shipments.read\"]"));
        variables.put(MachineAccessVariables.TOKEN_LIFESPAN_SECONDS, 120.0);
        variables.put(Variables.END_DATE, "2027-02-01T00:00:00.000Z");
        variables.put(MachineAccessVariables.AUTH_METHOD, "SIGNED_JWT");
        variables.put(MachineAccessVariables.JWKS_URL, "https://acme.example/jwks.json");
        DelegateExecution execution = execution(variables, null);
        startedBy(execution, "rita.requester");
        when(registrations.register(anyString(), eq("acme"), any(), eq("rita.requester"))).thenReturn(new PartnerIdentity(
                "id-1", "acme", IdentityKind.MACHINE, "Acme order sync", "pa-m-acme-1", null, "ian.owner", "p", "test",
                Set.of("orders.read", "shipments.read"), null, "rita.requester"));
        when(registrations.approverInOwnersRole(anyString(), eq("rita.requester"))).thenReturn("ian.owner");

        new RecordMachineRegistrationDelegate(registrations).execute(execution);

        ArgumentCaptor<MachineRegistration> request = ArgumentCaptor.forClass(MachineRegistration.class);
        ArgumentCaptor<String> identityId = ArgumentCaptor.forClass(String.class);
        verify(registrations).register(identityId.capture(), eq("acme"), request.capture(), eq("rita.requester"));
        assertThat(request.getValue().clientScopes()).containsExactlyInAnyOrder("orders.read", "shipments.read");
        assertThat(request.getValue().tokenLifespanSeconds()).isEqualTo(120);
        assertThat(request.getValue().endDate()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(request.getValue().dataClassesOrEmpty()).isEmpty();
        verify(execution).setProcessBusinessKey(identityId.getValue());
        assertThat(variables).containsEntry(Variables.IDENTITY_ID, identityId.getValue())
                .containsEntry(Variables.OWNER_APPROVER, "ian.owner")
                .containsEntry(Variables.CLIENT_SCOPES, "orders.read,shipments.read");
    }

    @Test
    void aLifespanThatIsNoNumberIsAFieldError() {
        DelegateExecution execution = execution(
                new HashMap<>(Map.of(MachineAccessVariables.TOKEN_LIFESPAN_SECONDS, "two minutes")), "id-1");
        assertThatThrownBy(() -> new RecordMachineRegistrationDelegate(registrations).execute(execution))
                .isInstanceOf(org.partneraccess.InvalidRequestException.class).hasMessageContaining("tokenLifespanSeconds");
    }

    @Test
    void aPartnershipNoLongerActiveIsABusinessOutcomeWithItsReason() {
        Map<String, Object> variables = new HashMap<>(Map.of(Variables.IDENTITY_ID, "id-1"));
        when(access.provision("id-1")).thenThrow(new MachineAccessService.PartnershipNotActiveException("acme",
                LifecycleState.SUSPENDED));

        assertThatThrownBy(() -> new ProvisionMachineClientDelegate(access).execute(execution(variables, "id-1")))
                .isInstanceOf(BpmnError.class)
                .satisfies(e -> assertThat(((BpmnError) e).getErrorCode()).isEqualTo(ProcessIds.ERROR_PARTNERSHIP_NOT_ACTIVE))
                .hasMessageContaining("SUSPENDED");
    }

    /** The retention's own end, or the trigger that came during it (mapped out by the catching event), names why. */
    @Test
    void deletionNamesWhyTheClientGoesNow() throws Exception {
        DeleteMachineClientDelegate delete = new DeleteMachineClientDelegate(access);
        delete.execute(execution(new HashMap<>(), "id-1"));
        verify(access).deleteClient("id-1", "retention period over");

        delete.execute(execution(new HashMap<>(Map.of(MachineAccessVariables.DELETION_TRIGGER, "PARTNER_INCIDENT")), "id-2"));
        verify(access).deleteClient("id-2", "partner incident reported during retention");
    }

    @Test
    void revocationNamesItsTriggerReasonAndWhoSetItOff() throws Exception {
        RevokeMachineAccessDelegate revoke = new RevokeMachineAccessDelegate(access);
        when(access.unusedReason()).thenReturn("unused, as the service words it");
        // the instance's business key says which machine, not a variable
        revoke.execute(execution(new HashMap<>(Map.of(Variables.IDENTITY_ID, "another-machine", Variables.REVOCATION_TRIGGER,
                "IDENTITY_INCIDENT", Variables.REVOCATION_REASON, "key leaked", Variables.TRIGGERED_BY, "sofia.security")), "id-1"));
        verify(access).revoke("id-1", AccessEndTrigger.IDENTITY_INCIDENT, "incident: key leaked", "sofia.security");

        revoke.execute(execution(new HashMap<>(Map.of(Variables.IDENTITY_ID, "id-2", Variables.REVOCATION_TRIGGER,
                "ACCESS_ENDED", Variables.TRIGGERED_BY, "someone")), "id-2"));
        verify(access).revoke("id-2", AccessEndTrigger.ACCESS_ENDED, "access end date reached", "system");

        revoke.execute(execution(new HashMap<>(Map.of(Variables.IDENTITY_ID, "id-3", Variables.REVOCATION_TRIGGER,
                "PARTNERSHIP_TERMINATED", Variables.REVOCATION_REASON, "contract ended", Variables.TRIGGERED_BY,
                "sam.sponsor")), "id-3"));
        verify(access).revoke("id-3", AccessEndTrigger.PARTNERSHIP_TERMINATED, "contract ended", "sam.sponsor");

        revoke.execute(execution(new HashMap<>(Map.of(Variables.IDENTITY_ID, "id-4", Variables.REVOCATION_TRIGGER,
                "UNUSED")), "id-4"));
        verify(access).revoke("id-4", AccessEndTrigger.UNUSED, "unused, as the service words it", "system");

        // no trigger: the process's own end-date timer fired
        revoke.execute(execution(new HashMap<>(Map.of(Variables.TRIGGERED_BY, "someone")), "id-5"));
        verify(access).revoke("id-5", AccessEndTrigger.ACCESS_ENDED, "access end date reached", "system");
    }

    /** An execution over a plain map, so that what the delegate sets can be read back. */
    private static void startedBy(DelegateExecution execution, String user) {
        ProcessEngineServices engine = mock(ProcessEngineServices.class);
        IdentityService identity = mock(IdentityService.class);
        when(execution.getProcessEngineServices()).thenReturn(engine);
        when(engine.getIdentityService()).thenReturn(identity);
        when(identity.getCurrentAuthentication()).thenReturn(new Authentication(user, List.of()));
    }

    private static DelegateExecution execution(Map<String, Object> variables, String businessKey) {
        DelegateExecution execution = mock(DelegateExecution.class);
        when(execution.getBusinessKey()).thenReturn(businessKey);
        when(execution.getProcessBusinessKey()).thenReturn(businessKey);
        when(execution.getVariable(anyString())).thenAnswer(invocation -> variables.get(invocation.<String>getArgument(0)));
        org.mockito.Mockito.doAnswer(invocation -> variables.put(invocation.getArgument(0), invocation.getArgument(1)))
                .when(execution).setVariable(anyString(), any());
        return execution;
    }
}
