#!/bin/sh
# nginx (Debian's nginx-light) as a round-robin load balancer in front of onewindow nodes,
# for the two-node tests: every request may land on either node, as behind a production
# balancer without sticky sessions.
#
#   scripts/nginx-lb.sh start DIR URL...   prints the port it listens on (127.0.0.1)
#   scripts/nginx-lb.sh stop DIR
set -eu
cmd=${1:?usage: nginx-lb.sh start|stop DIR [URL...]}
dir=${2:?usage: nginx-lb.sh start|stop DIR [URL...]}
shift 2
case "$cmd" in
  start)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx-lb.sh: nginx is not installed (scripts/deps.sh test)" >&2; exit 1; }
    mkdir -p "$dir"
    port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    servers=""
    for u in "$@"; do servers="$servers    server ${u#http://} max_fails=0;
"; done
    user_line=""
    [ "$(id -u)" -eq 0 ] && user_line="user root;"
    cat >"$dir/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  client_max_body_size 200m;
  upstream onewindow {
$servers    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://onewindow;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 120s;
      # a request that failed on one node is not sent to the other: writes are not
      # idempotent, and the test must see what the client would see
      proxy_next_upstream off;
    }
  }
}
CONF
    /usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir" || { cat "$dir/error.log" >&2; exit 1; }
    i=0
    until node -e "require('net').connect($port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; do
      i=$((i + 1)); [ $i -gt 100 ] && { echo "nginx-lb.sh: nginx did not listen" >&2; exit 1; }
      sleep 0.1
    done
    echo "$port"
    ;;
  stop)
    [ -s "$dir/nginx.pid" ] && kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null || true
    ;;
  *) echo "nginx-lb.sh: unknown command $cmd" >&2; exit 2 ;;
esac
