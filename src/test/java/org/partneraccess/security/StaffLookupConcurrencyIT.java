package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Staff named by many requests at once: a sponsor and owners who exist are accepted by every one of them, not refused
 * as unknown by some (the requests race to pin the names first); a name nobody holds is still refused as unknown.
 */
@PartnerAccessTest
class StaffLookupConcurrencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 16;

    @LocalServerPort
    int port;
    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;

    @Test
    void concurrentRequestsNamingKnownStaffAreAllAccepted() throws Exception {
        // staff never seen before, whichever tests ran first in this application: every request pins them at once
        String sponsor = KeycloakAdmin.createStaffUser("sponsor", "/sponsors");
        String owner = KeycloakAdmin.createStaffUser("owner");
        String token = Tokens.staff(keycloakUrl, KeycloakAdmin.createStaffUser("requester", "/requesters"));
        PartnerAccessClient client = new PartnerAccessClient(port, keycloakUrl);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String key = "conc-" + UUID.randomUUID().toString().substring(0, 8);
                Map<String, Object> body = PartnerAccessClient.validRequest(key, key + "@partner.example.org");
                body.put("sponsor", sponsor);
                body.put("businessOwner", owner);
                responses.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return client.postWithToken(token, "/api/partnerships", body);
                }, clients));
            }
            start.countDown();
            List<String> refusals = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(3, TimeUnit.MINUTES);
                if (answer.statusCode() != 201) {
                    refusals.add(answer.statusCode() + " " + answer.body());
                }
            }
            assertThat(refusals).as("answers other than 201 Created").isEmpty();
        } finally {
            clients.shutdownNow();
        }

        String key = "conc-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> unknown = PartnerAccessClient.validRequest(key, key + "@partner.example.org");
        unknown.put("sponsor", "nobody.known");
        unknown.put("businessOwner", "nobody.known");
        HttpResponse<String> refused = client.postWithToken(token, "/api/partnerships", unknown);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode errors = JSON.readTree(refused.body()).get("errors");
        assertThat(errors.get("sponsor").asText()).isEqualTo("not a known staff user in the sponsors group");
        assertThat(errors.get("businessOwner").asText()).isEqualTo("not a known staff user");
        assertThat(errors.has("technicalOwner")).as("the known technical owner").isFalse();
    }

    private static void awaitQuietly(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
