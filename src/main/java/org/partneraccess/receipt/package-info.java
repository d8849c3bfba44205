/** Signed revocation receipts, verifiable offline. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "keycloak"})
package org.partneraccess.receipt;

import org.springframework.modulith.ApplicationModule;
