/** The audit trail: hash-chained evidence of every decision and change, and its verification. */
@ApplicationModule(allowedDependencies = {})
package org.partneraccess.audit;

import org.springframework.modulith.ApplicationModule;
