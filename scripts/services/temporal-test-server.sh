#!/usr/bin/env bash
# Prints the path of an executable that runs Temporal's time-skipping test server, for
# TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } }).
# The SDK would download a native build; offline we use the Java artifact from Maven Central instead:
# its classpath is resolved once with Maven into the tools cache, and a wrapper passes on the port
# (the SDK runs `<exe> <port>`; the server starts locked and the SDK unlocks time skipping itself).
# Logs go to stderr; the last stdout line is the path.
set -euo pipefail
if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] && [ -x "$TEMPORAL_TEST_SERVER_PATH" ]; then echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0; fi
VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
DIR="${ARREARS_CACHE:-$HOME/.cache/arrears}/tools/temporal-test-server/$VERSION"
WRAPPER="$DIR/bin/temporal-test-server"
if [ -x "$WRAPPER" ] && [ -s "$DIR/classpath.txt" ]; then echo "$WRAPPER"; exit 0; fi

command -v java >/dev/null 2>&1 || { echo "Java 17+ is needed for Temporal's test server (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "Maven is needed once to fetch Temporal's test server (apt-get install maven)" >&2; exit 1; }
echo "[setup] resolving io.temporal:temporal-test-server:$VERSION from Maven Central (first run only)" >&2
mkdir -p "$DIR/bin"
cat > "$DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.arrears</groupId><artifactId>temporal-test-server-classpath</artifactId><version>1</version>
  <dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$VERSION</version></dependency></dependencies>
</project>
POM
mvn -B -q -f "$DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$DIR/classpath.txt" >&2
cat > "$WRAPPER" <<SH
#!/usr/bin/env bash
# Temporal time-skipping test server $VERSION (Java). Takes only the port, as the SDK passes it.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "\$(cat "$DIR/classpath.txt")" io.temporal.testserver.TestServer "\$1"
SH
chmod +x "$WRAPPER"
echo "$WRAPPER"
