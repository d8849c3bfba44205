package org.partneraccess.revocation;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

@Configuration
class RevocationConfiguration {

    static final String POOL = "revocationPool";

    /**
     * The bound on parallel Keycloak calls during an incident: enough to cut off a partner in one round trip or two,
     * well below the admin client's connection pool so provisioning jobs keep theirs.
     */
    @Bean(name = POOL, destroyMethod = "shutdown")
    ExecutorService revocationPool(@Value("${partner-access.revocation.concurrency:8}") int concurrency) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("revocation-");
        threads.setDaemon(true);
        return Executors.newFixedThreadPool(concurrency, threads);
    }
}
