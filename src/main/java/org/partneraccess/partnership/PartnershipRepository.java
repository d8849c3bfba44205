package org.partneraccess.partnership;

import java.util.List;

import org.partneraccess.LifecycleState;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PartnershipRepository extends JpaRepository<Partnership, String> {

    List<Partnership> findByStateOrderByKey(LifecycleState state);
}
