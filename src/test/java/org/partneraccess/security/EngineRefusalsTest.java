package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.impl.CamundaRestResources;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.partneraccess.RegistryRecord;
import org.partneraccess.decision.MissingApprovalException;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

/**
 * Camunda's exception handlers and {@link EngineRefusals} in one JAX-RS application, as the engine's APIs hold them,
 * with resources that fail the way Camunda's do: a task's completion and a process's start wrap every engine exception
 * but an authorization refusal (and, for the completion, a form field's) into a 500; a modification lets it through.
 * A refusal answers its 4xx with its message, whichever way it arrives; Keycloak not answering, through the
 * application's own calls or the identity plugin's, a 503 to ask again later; any other failure stays a 500.
 */
@ExtendWith(OutputCaptureExtension.class)
class EngineRefusalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApplicationHandler API = new ApplicationHandler(new ResourceConfig()
            // Jersey's Spring bridge is on the classpath: an empty context instead of its applicationContext.xml
            .property("contextConfig", emptySpringContext())
            .registerClasses(CamundaRestResources.getConfigurationClasses())
            .register(EngineLikeResources.class)
            .register(EngineRefusals.class));

    @Test
    void aDelegatesRefusalAnswersItsStatusWhereverTheResourcePutsIt() {
        for (String call : new String[] {"complete", "start", "modification"}) {
            assertThat(post(call, "approval")).as(call).startsWith("409 ").contains("MissingApprovalException")
                    .contains("Not approved: acme: the policy requires a security officer");
            assertThat(post(call, "transition")).as(call).startsWith("409 ").contains("IllegalTransitionException")
                    .contains("Partnership is ACTIVE: no rejection");
            assertThat(post(call, "segregation")).as(call).startsWith("403 ")
                    .contains("No one approves their own request");
            assertThat(post(call, "listener")).as(call + ", the engine's wrapping of a task listener's exception")
                    .startsWith("403 ").contains("No one approves their own request");
        }
    }

    @Test
    void theEnginesOwnRefusalsKeepTheirStatusWhereAResourceWrapsThem() {
        assertThat(post("start", "authorization")).startsWith("403 ").contains("Only Camunda administrators");
        assertThat(post("start", "field")).startsWith("400 ").contains("requester: not a field");
        assertThat(post("complete", "field")).startsWith("400 ").contains("requester: not a field");
        assertThat(post("modification", "authorization")).as("Camunda's own answer").startsWith("403 ")
                .contains("\"userId\"");
    }

    @Test
    void aFailureThatIsNoRefusalStaysAServerError() {
        for (String call : new String[] {"complete", "start", "modification"}) {
            assertThat(post(call, "bug")).as(call).startsWith("500 ");
            assertThat(post(call, "misconfigured")).as(call + ", the identity plugin's failure with an answer")
                    .startsWith("500 ");
        }
        assertThat(post("modification", "invalid")).as("Camunda's own 400 for a bad request").startsWith("400 ");
    }

    @Test
    void keycloakNotAnsweringAsksToComeBackLaterWhereverTheFailureIsWrapped(CapturedOutput output) {
        for (String call : new String[] {"complete", "start", "modification"}) {
            for (String failure : new String[] {"keycloak", "plugin", "query", "busy"}) {
                ContainerResponse response = send(call, failure);
                assertThat(response.getStatus()).as(call + " " + failure).isEqualTo(503);
                assertThat(response.getHeaderString("Retry-After"))
                        .isEqualTo(KeycloakUnavailableException.RETRY_AFTER_SECONDS);
                assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
                assertThat(json(response)).as(call + " " + failure)
                        .contains("\"type\":\"IdentityProviderUnavailable\"", "did not answer", "Send it again later")
                        .doesNotContain("keycloak.internal", "Exception", "timed out", "sam.sponsor");
            }
        }
        assertThat(output.getOut().lines().filter(line -> line.contains("answered 503"))).hasSize(12)
                .allMatch(line -> line.contains("WARN")).anyMatch(line -> line.contains(
                        "POST /complete/query answered 503: staff realm lookup failed: I/O error on GET request"));
        assertThat(output.getOut()).as("one line each, no stack trace").doesNotContain("\tat ");
    }

    private static GenericApplicationContext emptySpringContext() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        return context;
    }

    /** Status and body (the entity as the API's JSON writer would write it) of a call to a resource below. */
    private static String post(String call, String failure) {
        ContainerResponse response = send(call, failure);
        return response.getStatus() + " " + json(response);
    }

    private static ContainerResponse send(String call, String failure) {
        try {
            ContainerRequest request = new ContainerRequest(URI.create("http://localhost/"),
                    URI.create("http://localhost/" + call + "/" + failure), "POST", null, new MapPropertiesDelegate(),
                    API.getConfiguration());
            return API.apply(request).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(ContainerResponse response) {
        try {
            return JSON.writeValueAsString(response.getEntity());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String TIMED_OUT =
            "I/O error on GET request for \"http://keycloak.internal:8080/admin/realms/staff/users\": Read timed out";

    private static IdentityProviderException identityPlugin(Exception cause) {
        return new IdentityProviderException("Unable to query users", cause);
    }

    static RuntimeException failure(String name) {
        return switch (name) {
            case "approval" -> new MissingApprovalException("acme",
                    "the policy requires a security officer's approval; none is on record");
            case "transition" -> new RegistryRecord.IllegalTransitionException("Partnership is ACTIVE: no rejection");
            case "segregation" -> new SegregationOfDutiesException("No one approves their own request");
            case "listener" -> new ProcessEngineException("ENGINE-03051 There was an exception while invoking the "
                    + "TaskListener. Message: 'No one approves their own request'",
                    new SegregationOfDutiesException("No one approves their own request"));
            case "authorization" -> new AuthorizationException("Only Camunda administrators may do this");
            case "field" -> new FormFieldValidationException("requester", "Refused: requester: not a field");
            case "keycloak" -> new KeycloakUnavailableException("staff realm lookup failed: " + TIMED_OUT, null);
            // the identity plugin's own lookups: its exception around the I/O error or Keycloak's 5xx
            case "plugin" -> identityPlugin(new ResourceAccessException(TIMED_OUT, new SocketTimeoutException()));
            case "busy" -> identityPlugin(HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE,
                    "Service Unavailable", HttpHeaders.EMPTY, new byte[0], null));
            // a task query by candidate user asks the plugin for the user's groups while MyBatis builds the statement
            case "query" -> new ProcessEnginePersistenceException("An exception occurred in the persistence layer.",
                    new PersistenceException(new IdentityProviderException("Unable to query groups of user sam.sponsor",
                            new ResourceAccessException(TIMED_OUT, new SocketTimeoutException()))));
            case "misconfigured" -> new IdentityProviderException("Configured administratorGroupName x does not exist.");
            case "invalid" -> new BadUserRequestException("no such activity");
            default -> new ProcessEngineException("something broke");
        };
    }

    /** What Camunda's resources do with an engine exception (TaskResourceImpl, ProcessDefinitionResourceImpl, …). */
    @Path("/")
    public static class EngineLikeResources {

        @POST
        @Path("complete/{failure}")
        public void complete(@PathParam("failure") String failure) {
            wrapped(() -> {
                throw failure(failure);
            }, true, "Cannot complete task t1: ");
        }

        @POST
        @Path("start/{failure}")
        public void start(@PathParam("failure") String failure) {
            wrapped(() -> {
                throw failure(failure);
            }, false, "Cannot instantiate process definition p1: ");
        }

        @POST
        @Path("modification/{failure}")
        public void modification(@PathParam("failure") String failure) {
            throw failure(failure);
        }

        private static void wrapped(Supplier<Void> command, boolean formFieldsAre400, String what) {
            try {
                command.get();
            } catch (AuthorizationException e) {
                throw e;
            } catch (FormFieldValidationException e) {
                if (!formFieldsAre400) {
                    throw new RestException(Status.INTERNAL_SERVER_ERROR, e, what + e.getMessage());
                }
                throw new RestException(Status.BAD_REQUEST, e, what + e.getMessage());
            } catch (ProcessEngineException e) {
                throw new RestException(Status.INTERNAL_SERVER_ERROR, e, what + e.getMessage());
            }
        }
    }
}
