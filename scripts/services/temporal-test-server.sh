#!/usr/bin/env bash
# Prints the path of an executable that runs Temporal's time-skipping test server, for
#   TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } }).
# The SDK would download a native build; offline we use the Java artifact io.temporal:temporal-test-server
# from Maven Central instead. First run (needs Maven Central): resolve its runtime classpath with Maven,
# copy the jars into the cache, record an application class-data-sharing (AppCDS) archive for fast
# start-up, and write a wrapper that passes on only the port (the SDK runs `<exe> <port>` and must reach
# it within 5 s; the server starts with time skipping locked and the SDK unlocks it itself, so no
# --enable-time-skipping). Later runs need no network and no Maven: they just print the cached wrapper.
# Logs go to stderr; the last stdout line is the wrapper's absolute path.
#
# Env: TEMPORAL_TEST_SERVER_PATH (use this executable as is), TEMPORAL_TEST_SERVER_VERSION (default below),
#      ARREARS_CACHE (default ~/.cache/arrears).
set -euo pipefail

if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] && [ -x "$TEMPORAL_TEST_SERVER_PATH" ]; then
  echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0
fi

VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
CACHE="${ARREARS_CACHE:-$HOME/.cache/arrears}"
DIR="$CACHE/tools/temporal-test-server/$VERSION"
WRAPPER="$DIR/bin/temporal-test-server"
MAIN=io.temporal.testserver.TestServer
log() { echo "[temporal-test-server] $*" >&2; }

# Fast path: everything cached. .complete is written last and names this cache layout; delete it (or the
# whole version directory) to redo the setup.
LAYOUT=3
ready() { [ -x "$WRAPPER" ] && [ "$(cat "$DIR/.complete" 2>/dev/null)" = "$LAYOUT" ]; }
if ready; then echo "$WRAPPER"; exit 0; fi

command -v java >/dev/null 2>&1 || { log "Java 17+ is needed (apt-get install openjdk-17-jre-headless)"; exit 1; }
mkdir -p "$DIR"
# Serialise concurrent first runs (e.g. several test processes at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR/.lock"; flock 9
  if ready; then echo "$WRAPPER"; exit 0; fi
fi

rm -f "$DIR/.complete"

# 1. Runtime classpath, resolved once with Maven and copied into the cache (so it survives a wiped ~/.m2).
#    slf4j-nop silences slf4j's "Failed to load class StaticLoggerBinder" notice (the server logs nothing
#    through slf4j anyway), which would otherwise land in every test run's output.
command -v mvn >/dev/null 2>&1 || { log "Maven is needed once to fetch the test server (apt-get install maven)"; exit 1; }
log "resolving io.temporal:temporal-test-server:$VERSION and its runtime classpath with Maven (first run only)"
cat > "$DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>dev.arrears</groupId><artifactId>temporal-test-server-classpath</artifactId><version>1</version>
<dependencies>
  <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$VERSION</version></dependency>
  <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
</dependencies>
</project>
POM
if ! mvn -B -Dstyle.color=never -f "$DIR/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$DIR/classpath.m2.txt" >"$DIR/mvn.log" 2>&1; then
  tail -n 30 "$DIR/mvn.log" >&2; log "Maven failed (full log: $DIR/mvn.log)"; exit 1
fi
rm -rf "$DIR/lib.tmp"; mkdir -p "$DIR/lib.tmp"
cp_local=""
IFS=":" read -r -a jars < "$DIR/classpath.m2.txt" || true   # no trailing newline
for jar in "${jars[@]}"; do
  [ -n "$jar" ] || continue
  name=$(basename "$jar")
  [ -e "$DIR/lib.tmp/$name" ] && { log "duplicate jar name $name"; exit 1; }
  cp "$jar" "$DIR/lib.tmp/$name"
  cp_local="${cp_local:+$cp_local:}$DIR/lib/$name"
done
rm -rf "$DIR/lib"; mv "$DIR/lib.tmp" "$DIR/lib"
printf '%s\n' "$cp_local" > "$DIR/classpath.txt"
log "classpath: ${#jars[@]} jars in $DIR/lib"
CP=$(cat "$DIR/classpath.txt")

# Fast-start flags: C1 JIT only, serial GC, no perf-data file; plus the AppCDS archive when present.
FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"

free_port() { local p; for _ in $(seq 1 50); do p=$((20000 + RANDOM % 30000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; echo 27233; }
wait_port() { local i; for i in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

# 2. AppCDS archive: run the server once with -XX:ArchiveClassesAtExit, send it a few gRPC calls so the
#    request path's classes are archived too, then stop it (SIGTERM; the archive is written at exit).
rm -f "$DIR/app.jsa"   # an archive is tied to the exact classpath and JVM build
log "recording a class-data-sharing archive (first run only)"
port=$(free_port)
# shellcheck disable=SC2086
java $FLAGS -XX:ArchiveClassesAtExit="$DIR/app.jsa.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -cp "$CP" "$MAIN" "$port" >"$DIR/cds-dump.log" 2>&1 &
pid=$!
if wait_port "$port"; then
  if command -v curl >/dev/null 2>&1; then
    for m in temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo \
             temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace \
             temporal.api.testservice.v1.TestService/GetCurrentTime \
             temporal.api.testservice.v1.TestService/UnlockTimeSkipping \
             temporal.api.testservice.v1.TestService/LockTimeSkipping; do
      printf '\0\0\0\0\0' | curl -s -o /dev/null --max-time 5 --http2-prior-knowledge -X POST \
        -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- "http://127.0.0.1:$port/$m" || true
    done
  fi
  sleep 1
else
  log "server did not listen while recording the archive (see $DIR/cds-dump.log)"
fi
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ -s "$DIR/app.jsa.tmp" ]; then mv -f "$DIR/app.jsa.tmp" "$DIR/app.jsa"
else rm -f "$DIR/app.jsa.tmp"; log "no archive written; the server will start without it"; fi

# 3. Wrapper: passes on only the port. The archive is used when present and valid (-Xshare:auto falls
#    back silently, e.g. after a JDK upgrade; delete .complete and rerun this script to rebuild it).
mkdir -p "$DIR/bin"
cat > "$WRAPPER.tmp" <<SH
#!/usr/bin/env bash
# Temporal time-skipping test server $VERSION (Java), written by scripts/services/temporal-test-server.sh.
# Usage: temporal-test-server <port>   (any further arguments are ignored)
jsa="$DIR/app.jsa"
cds=()
[ -s "\$jsa" ] && cds=(-XX:SharedArchiveFile="\$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
exec java $FLAGS "\${cds[@]}" -cp "$CP" $MAIN "\$1"
SH
chmod +x "$WRAPPER.tmp"
mv -f "$WRAPPER.tmp" "$WRAPPER"
echo "$LAYOUT" > "$DIR/.complete"
log "wrapper ready"
echo "$WRAPPER"
