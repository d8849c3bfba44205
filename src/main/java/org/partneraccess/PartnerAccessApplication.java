package org.partneraccess;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PartnerAccessApplication {

    public static void main(String[] args) {
        SpringApplication.run(PartnerAccessApplication.class, args);
    }
}
