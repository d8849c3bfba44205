package org.partneraccess.machine;

import java.net.InetAddress;

import org.partneraccess.security.JwksUrlCheck;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MachineProperties.class)
class MachineConfiguration {

    /** Where a machine's JWKS URL may point (a partnership's workload issuer has the same check, its own switch). */
    @Bean
    JwksUrlCheck jwksUrlCheck(MachineProperties properties) {
        return new JwksUrlCheck(properties.loopbackJwksAllowed(), properties.jwksAllowedHosts(),
                InetAddress::getAllByName);
    }
}
