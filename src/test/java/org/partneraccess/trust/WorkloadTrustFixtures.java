package org.partneraccess.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.support.ItFixtures;

/** A partnership whose workload issuer is trusted, as the product gets there: requested, then a security officer. */
public final class WorkloadTrustFixtures {

    private WorkloadTrustFixtures() {
    }

    /** A new ACTIVE partnership with the cluster's issuer requested by a requester and approved by a security officer. */
    public static String approvedTrust(ItFixtures fixtures, WorkloadTrusts trusts, TaskService tasks,
                                       IdentityService identity, KubernetesIssuer cluster) {
        String key = fixtures.activePartnership();
        approve(fixtures, trusts, tasks, identity, key, cluster);
        return key;
    }

    /** The cluster's issuer requested for an ACTIVE partnership by a requester and approved by a security officer. */
    public static void approve(ItFixtures fixtures, WorkloadTrusts trusts, TaskService tasks, IdentityService identity,
                               String key, KubernetesIssuer cluster) {
        HttpResponse<String> requested = fixtures.client().post("rita.requester",
                "/api/partnerships/" + key + "/workload-trust", Map.of("kind", "KUBERNETES", "issuer", cluster.issuer()));
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
        String trustId;
        try {
            trustId = new ObjectMapper().readTree(requested.body()).get("trustId").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(trustId)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_WORKLOAD_TRUST).count() == 1);
        identity.setAuthentication("sofia.security", List.of("security-officers"));
        try {
            tasks.complete(tasks.createTaskQuery().processInstanceBusinessKey(trustId)
                    .taskDefinitionKey(ProcessIds.TASK_APPROVE_WORKLOAD_TRUST).singleResult().getId(),
                    Map.of(Variables.SECURITY_OFFICER_APPROVED, true));
        } finally {
            identity.clearAuthentication();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> trusts.get(trustId).getState() == LifecycleState.ACTIVE);
    }
}
