package org.partneraccess.support;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.PartnershipService;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;

/**
 * What an integration test of the running application starts from: its port, the managed Keycloak's address, a client
 * of the API, the engine's two doors and an active partnership. One place instead of the same injected fields in each
 * test; every {@link PartnerAccessTest} has it.
 */
@TestComponent
public class ItFixtures {

    private final Environment environment;
    private final TaskService tasks;
    private final IdentityService identity;
    private final PartnershipService partnerships;

    ItFixtures(Environment environment, TaskService tasks, IdentityService identity, PartnershipService partnerships) {
        this.environment = environment;
        this.tasks = tasks;
        this.identity = identity;
        this.partnerships = partnerships;
    }

    /** The port the application listens on (known once it runs). */
    public int port() {
        return environment.getRequiredProperty("local.server.port", Integer.class);
    }

    public String keycloakUrl() {
        return environment.getRequiredProperty("partner-access.keycloak.url");
    }

    public PartnerAccessClient client() {
        return new PartnerAccessClient(port(), keycloakUrl());
    }

    /** Fresh doors: each keeps its own tokens and webapp sessions. */
    public EngineDoors doors() {
        return new EngineDoors(port(), keycloakUrl());
    }

    /** An ACTIVE partnership for machines and people: read scopes and orders.write, internal data, test and staging. */
    public String activePartnership() {
        return activePartnership(false);
    }

    /** As {@link #activePartnership()}; with production too, which makes it HIGH risk (a security officer approves). */
    public String activePartnership(boolean production) {
        return MachineFixtures.activePartnership(client(), tasks, identity, partnerships, production);
    }
}
