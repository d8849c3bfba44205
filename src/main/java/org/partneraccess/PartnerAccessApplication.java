package org.partneraccess;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PartnerAccessApplication {

    public static void main(String[] args) {
        // an auditor checks a receipt offline: no database, no Keycloak, nothing started
        if (args.length > 0 && ReceiptVerifier.COMMAND.equals(args[0])) {
            System.exit(ReceiptVerifier.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        SpringApplication.run(PartnerAccessApplication.class, args);
    }
}
