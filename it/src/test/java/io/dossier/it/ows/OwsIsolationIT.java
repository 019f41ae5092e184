package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A second tenant can never see or change the first one's records: by uid, by condition, by batch. */
class OwsIsolationIT {

    @Test
    void anotherTenantsRecordsAreOutOfReach() {
        var a = Ows.newTenant(TestServer.shared(), List.of("en"));
        var b = Ows.newTenant(TestServer.shared(), List.of("en"));
        var sa = a.login();
        var sb = b.login();
        var uid = a.result("Otys.Services.CandidateService.add", "[\"" + sa + "\",{\"Person\":{\"firstName\":\"Secret\",\"lastName\":\"OfA\"}}]").asText();
        var c = "Otys.Services.CandidateService.";

        assertThat(b.call(c + "getDetail", "[\"" + sb + "\",\"" + uid + "\"]").has("error")).isTrue();
        assertThat(b.call(c + "update", "[\"" + sb + "\",\"" + uid + "\",{\"Person\":{\"lastName\":\"Hacked\"}}]").has("error")).isTrue();
        assertThat(b.call(c + "delete", "[\"" + sb + "\",\"" + uid + "\"]").has("error")).isTrue();
        var byCondition = b.result(c + "getListEx", "[\"" + sb + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"uid\",\"op\":\"EQ\",\"param\":\"" + uid
                + "\"},\"getTotalCount\":1}]");
        assertThat(byCondition.path("totalCount").asInt()).isZero();
        var byName = b.result(c + "getListEx", "[\"" + sb + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"Person.lastName\",\"op\":\"LIKE\",\"param\":\"%\"},\"getTotalCount\":1}]");
        assertThat(byName.path("totalCount").asInt()).isZero();
        var batch = b.result("Otys.Services.MultiService.execute", "[[{\"method\":\"" + c + "getDetail\",\"args\":[\"" + sb + "\",\"" + uid + "\"]},"
                + "{\"method\":\"" + c + "update\",\"args\":[\"" + sb + "\",\"" + uid + "\",{\"Person\":{\"lastName\":\"Hacked\"}}]}]]");
        assertThat(batch.get(0).has("error")).isTrue();
        assertThat(batch.get(1).has("error")).isTrue();
        // a batch mixing A's session into B's calls cannot reach A's record through B either
        var jsonBatch = b.rpc("[{\"jsonrpc\":\"2.0\",\"method\":\"" + c + "delete\",\"params\":[\"" + sb + "\",\"" + uid + "\"],\"id\":1}]");
        assertThat(jsonBatch.get(0).has("error")).isTrue();
        // B cannot pick A's users as owner
        assertThat(b.call(c + "add", "[\"" + sb + "\",{\"Person\":{\"lastName\":\"X\"},\"userId\":" + a.userId() + "}]").has("error")).isTrue();
        assertThat(b.result(c + "getOptionLists", "[\"" + sb + "\",[\"userId\"]]").path("userId").has(Long.toString(a.userId()))).isFalse();

        var intact = a.result(c + "getDetail", "[\"" + sa + "\",\"" + uid + "\",{\"Person\":{\"lastName\":1}}]");
        assertThat(intact.path("Person").path("lastName").asText()).isEqualTo("OfA");
    }
}
