package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.repository.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

@PartnerAccessTest
class ApplicationIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    RepositoryService repository;
    @Autowired
    HistoryService history;

    @Test
    void deploysEveryFileOfBpmnAndForms() throws IOException {
        List<String> deployed = repository.createDeploymentQuery().list().stream()
                .flatMap(deployment -> repository.getDeploymentResources(deployment.getId()).stream())
                .map(Resource::getName).map(name -> Path.of(name).getFileName().toString()).toList();
        List<String> files;
        try (Stream<Path> bpmn = Files.list(Path.of("bpmn")); Stream<Path> forms = Files.list(Path.of("forms"))) {
            files = Stream.concat(bpmn, forms).map(path -> path.getFileName().toString()).toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(deployed).containsAll(files);
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                .latestVersion().singleResult()).isNotNull();
    }

    @Test
    void everyModelHasAHistoryTimeToLiveAndTheEngineCleansUpAtNight() {
        assertThat(repository.createProcessDefinitionQuery().list()).allSatisfy(definition ->
                assertThat(definition.getHistoryTimeToLive()).as(definition.getKey()).isNotNull());
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                .latestVersion().singleResult().getHistoryTimeToLive()).isEqualTo(400);
        assertThat(repository.createDecisionDefinitionQuery().list()).allSatisfy(definition ->
                assertThat(definition.getHistoryTimeToLive()).as(definition.getKey()).isNotNull());
        List<Job> cleanup = history.findHistoryCleanupJobs();
        assertThat(cleanup).isNotEmpty();
        // due at the window's next start, 01:00 in the engine's time zone
        assertThat(cleanup).allSatisfy(job -> assertThat(LocalTime.ofInstant(job.getDuedate().toInstant(),
                ZoneId.systemDefault())).isBetween(LocalTime.of(1, 0), LocalTime.of(5, 0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/partnerships", "/engine-rest/process-definition", "/engine-rest/task"})
    void apisRefuseCallsWithoutToken(String path) throws Exception {
        HttpResponse<String> response = get(path, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/partnerships", "/engine-rest/process-definition", "/engine-rest/task"})
    void apisRefuseForgedToken(String path) throws Exception {
        String token = Tokens.staff(fixtures.keycloakUrl(), "rita.requester");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(get(path, forged).statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/partnerships", "/engine-rest/process-definition", "/engine-rest/task"})
    void apisAcceptStaffToken(String path) throws Exception {
        HttpResponse<String> response = get(path, Tokens.staff(fixtures.keycloakUrl(), "rita.requester"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("[");
    }

    @Test
    void engineAuthorizationsFollowStaffGroups() throws Exception {
        // a requester may see the partnership process to start it; an auditor-only user may read every definition
        String requester = get("/engine-rest/process-definition?key=" + ProcessIds.PARTNERSHIP_PROCESS,
                Tokens.staff(fixtures.keycloakUrl(), "rita.requester")).body();
        assertThat(requester).contains(ProcessIds.PARTNERSHIP_PROCESS);
        // no group of ian.owner grants deployments, so the engine returns none
        String deployments = get("/engine-rest/deployment", Tokens.staff(fixtures.keycloakUrl(), "ian.owner")).body();
        assertThat(deployments).isEqualTo("[]");
        String processOwner = get("/engine-rest/deployment", Tokens.staff(fixtures.keycloakUrl(), "paul.process"))
                .body();
        assertThat(processOwner).contains("\"id\"");
    }

    @Test
    void actuatorHealthIsPublicButNothingElseIs() throws Exception {
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/env", null).statusCode()).isIn(401, 403);
        assertThat(get("/h2-console", null).statusCode()).isIn(401, 403);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(path)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
