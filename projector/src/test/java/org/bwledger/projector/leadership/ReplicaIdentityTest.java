package org.bwledger.projector.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ReplicaIdentityTest {

  @Test
  void anIdentityReadsBackFromItsLeaseFormAndNamesItsUrl() {
    ReplicaIdentity identity = new ReplicaIdentity("bwledger-projector-bwledger-projector-1", "10.42.0.17", 8080);

    assertThat(ReplicaIdentity.parse(identity.toString())).contains(identity);
    assertThat(identity.url("https")).isEqualTo(URI.create("https://10.42.0.17:8080"));
  }

  @Test
  void aHolderThatIsNotAReplicaIdentityIsNone() {
    assertThat(ReplicaIdentity.parse("bwledger-projector-0")).isEmpty();
    assertThat(ReplicaIdentity.parse("a@host:port")).isEmpty();
    assertThat(ReplicaIdentity.parse(null)).isEmpty();
  }
}
