package org.partneraccess.machine;

import java.net.InetAddress;

import org.partneraccess.security.JwksUrlCheck;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MachineProperties.class)
class MachineConfiguration {

    /** One check for every URL Keycloak is asked to fetch: a machine's JWKS URL and a partnership's workload issuer. */
    @Bean
    JwksUrlCheck jwksUrlCheck(MachineProperties properties) {
        return new JwksUrlCheck(properties.loopbackJwksAllowed(), properties.jwksAllowedHosts(),
                InetAddress::getAllByName);
    }
}
