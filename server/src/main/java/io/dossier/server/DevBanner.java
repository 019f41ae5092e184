package io.dossier.server;

import java.nio.file.Path;

/** What {@code dossier dev} prints once it is ready: where it listens and how to try it. */
final class DevBanner {

    private DevBanner() {
    }

    static void print(Server server, Path data, long startupMillis) {
        var demo = server.demo();
        var base = "http://localhost:" + server.port();
        var out = new StringBuilder();
        out.append('\n').append("Dossier is ready on ").append(base).append(" (started in ").append(startupMillis).append(" ms)\n");
        out.append("Data folder: ").append(data).append('\n');
        out.append("Demo credentials (also in ").append(data.resolve(DemoSeed.FILE)).append("):\n");
        out.append("  tenant      ").append(demo.tenant()).append('\n');
        out.append("  adminToken  ").append(demo.adminToken()).append('\n');
        for (var user : demo.users()) {
            out.append("  user        ").append(user.username()).append(" / ").append(user.password()).append('\n');
        }
        demo.dialects().forEach((dialect, values) -> out.append("  ").append(String.format("%-11s ", dialect)).append(values).append('\n'));
        out.append("\nTry:\n");
        out.append("  curl -s ").append(base).append("/health/ready\n");
        out.append("  curl -s -H 'Authorization: Bearer ").append(demo.adminToken()).append("' ").append(base).append("/admin/api/tenants\n");
        out.append("  curl -s -H 'Authorization: Bearer ").append(demo.adminToken()).append("' ").append(base)
                .append("/admin/api/tenants/").append(demo.tenant()).append("/users\n");
        var ows = demo.dialects().get("ows");
        if (ows != null) {
            out.append("  curl -s ").append(base).append("/ows/jservice.php -d '{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"")
                    .append(ows.get("apiKey")).append("\"],\"id\":1}'\n");
            out.append("  # then, with the token it returns:\n");
            out.append("  curl -s ").append(base).append("/ows/jservice.php -d '{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CandidateService.getListEx\",")
                    .append("\"params\":[\"TOKEN\",{\"what\":{\"uid\":1,\"Person\":{\"firstName\":1,\"lastName\":1}},\"limit\":5,\"getTotalCount\":1}],\"id\":1}'\n");
        }
        System.out.println(out);
    }
}
