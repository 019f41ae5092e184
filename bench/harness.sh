# Sourced by the bench/*.sh scripts: the JDK they run, the server build they measure, and what
# several of them need around it.
#
#   bench_java           sets $java: JAVA_HOME's, else the Temurin 25 this project's machines keep
#                        beside the system JDK (exported as JAVA_HOME), else java on PATH
#   bench_server NAME    builds server/target when a source is newer than the jar (./dossier
#                        --version; DOSSIER_SKIP_BUILD=1 takes the jar as it is), and stops NAME
#                        with a message when there is no jar
#   bench_classpath      the server's jars, for `java -cp` with a bench/*.java program (which the
#                        source launcher of JDK 22+ compiles with bench/Harness.java beside it)
#   bench_help LAST "$@" prints the script's header (lines 2 to LAST) and exits 2 when the first
#                        argument is -h or --help
#   bench_work DEFAULT "$@"  sets $work: the value of the last --work among the arguments, else DEFAULT
#   bench_free_port      prints a TCP port of 127.0.0.1 that nothing answers on (racy, but only
#                        within this machine)
#   bench_nginx NGINX DIR PORT [HTTP_LINES] [SERVER_LINES]
#                        starts a private nginx (prefix, config, temp paths and logs under DIR/nginx,
#                        not the system service; sendfile on, root DIR/www) on 127.0.0.1:PORT, sets
#                        $nginx_pid and waits (up to 10 s) until it answers; exits 1 when it does not
#   bench_class_cache PID  how the server JVM PID got its classes, from its flags (./dossier's): from
#                        the AOT cache, or recording it (the first run of a build: its classes are
#                        loaded from the jar, which costs it more resident memory than later runs)

bench_java() {
  if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
}

bench_server() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [[ ${DOSSIER_SKIP_BUILD:-} != 1 ]]; then
    "$root/dossier" --version >/dev/null
  fi
  [[ -f $root/server/target/dossier.jar ]] || {
    echo "$1: no server/target/dossier.jar; run ./dossier --version first" >&2
    exit 1
  }
}

bench_classpath() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  echo "$root/server/target/dossier.jar:$root/server/target/lib/*"
}

bench_help() {
  local last=$1
  shift
  case ${1:-} in
    -h | --help)
      sed -n "2,${last}p" "$0" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
}

bench_work() {
  work=$1
  shift
  local args=("$@") i
  for ((i = 0; i < ${#args[@]}; i++)); do
    [[ ${args[i]} == --work ]] && work=${args[i + 1]:-$work}
  done
  return 0
}

bench_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

bench_nginx() {
  local nginx=$1 dir=$2 port=$3 http_lines=${4:-} server_lines=${5:-} user_line="" i
  mkdir -p "$dir/nginx/logs" "$dir/nginx/tmp" "$dir/www"
  ((EUID == 0)) && user_line="user $(id -un) $(id -gn);"
  cat >"$dir/nginx/nginx.conf" <<CONF
$user_line
worker_processes auto;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path $dir/nginx/tmp/body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;
  $http_lines
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    $server_lines
  }
}
CONF
  "$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/logs/error.log" &
  nginx_pid=$!
  for i in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    kill -0 "$nginx_pid" 2>/dev/null || {
      cat "$dir/nginx/logs/error.log" >&2
      echo "nginx exited" >&2
      exit 1
    }
    sleep 0.2
  done
  echo "nginx did not answer within 10 s" >&2
  exit 1
}

bench_class_cache() {
  case $(tr '\0' ' ' <"/proc/$1/cmdline") in
    *-XX:AOTCacheOutput=*) echo "recording the AOT cache (the build's first run: classes from the jar)" ;;
    *-XX:AOTCache=*) echo "from the AOT cache" ;;
    *-XX:SharedArchiveFile=*) echo "AppCDS archive (JDK 21-24)" ;;
    *) echo "no class cache" ;;
  esac
}
