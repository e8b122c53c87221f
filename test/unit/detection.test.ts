// Detection that is sure before it speaks (issue 10, item 2): a name plus content that does not contradict it,
// or content that alone is unambiguous; a folder name alone never decides; source, scripts, Dockerfiles and
// XML are never claimed; templates are read with their tags set aside, or skipped with one notice.
import assert from 'node:assert/strict';
import { memoryFiles } from '../support/fixtures';
import { engine } from '../../src/product';
import { neutralise, scanTemplate } from '../../src/core/template';
import { looksLikeSourceCode } from '../../src/core/sniff';
import type { Finding } from '../../src/core/types';

const none = memoryFiles(new Map());
const detect = (path: string, text: string) => engine.detectFormat(path, text)?.id;
const lint = (path: string, text: string, files = none) => engine.lintFile(path, text, { files });
const parseWarnings = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'config/parse-problem' && f.severity !== 'info');

const NGINX_SITE = `server {
    listen 80;
    server_name example.org;
    root /srv/www;
    location / {
        try_files $uri $uri/ =404;
    }
}
`;

const APACHE_SITE = `<VirtualHost *:80>
    ServerName example.org
    DocumentRoot /srv/www
    <Directory /srv/www>
        Require all granted
    </Directory>
</VirtualHost>
`;

// Shapes of the files that were taken for configs in /usr/lib, /usr/share, node_modules and a home folder.
const PYTHON_WITH_NGINX_WORDS = `# -*- coding: utf-8 -*- #
"""Utilities for the location API."""
from __future__ import absolute_import
import re

TEMPLATE = """
server {
  location {
    proxy_pass http://backend;
  }
}
"""

def location_config(args):
  return {'server': args.server}
`;

const PYTHON_WITH_MANIFEST = `import textwrap

MANIFEST = textwrap.dedent("""\\
apiVersion: v1
kind: Namespace
metadata:
  name: {name}
""")

def build(name):
  return MANIFEST.format(name=name)
`;

const PYTHON_REGISTER = `"""distutils.command.register"""
import getpass
from distutils.core import PyPIRCCommand

class register(PyPIRCCommand):
    def send_metadata(self):
        host = 'pypi'
        if host trust md5 password:
            pass
`;

const TCL_BINDINGS = `# button.tcl --
bind Button <Enter> {
    tk::ButtonEnter %W
}
bind Button <Leave> {
    tk::ButtonLeave %W
}
bind Button <1> {
    tk::ButtonDown %W
}
proc ::tk::ButtonEnter w {
    set Priv(window) $w
}
save $w
`;

const TMUX_CONF = `# example tmux configuration
set -g prefix C-a
unbind C-b
bind C-a send-prefix
bind r source-file ~/.tmux.conf
bind | split-window -h
bind - split-window -v
set -g mouse on
`;

const BASH_COMPLETION = `# hostnamectl(1) completion
_hostnamectl() {
    local i verb comps
    local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
    local host all trust md5 password
    local -A OPTS=(
        [STANDALONE]='-h --help --version'
    )
}

complete -F _hostnamectl hostnamectl
`;

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.apache.commons</groupId>
  <artifactId>commons-lang3</artifactId>
  <build>
    <plugins>
    </plugins>
  </build>
</project>
`;

const VCPROJ = `<VisualStudioProject ProjectType="Visual C++" Version="7.00">
  <Files>
    <File RelativePath="CMakeCCompilerId.c"/>
  </Files>
  <Configurations>
    <Configuration Name="Debug|Win32"/>
  </Configurations>
</VisualStudioProject>
`;

const ESLINT_RULE = `/**
 * @fileoverview Require or disallow newline at the end of files
 */
"use strict";

const astUtils = require("./utils/ast-utils");

module.exports = {
    meta: {
        type: "layout",
    },
    create(context) {
        return {
            Program: function checkBadEOF(node) {
                const sourceCode = context.sourceCode;
            }
        };
    }
};
`;

const MAN_PAGE = `'\\" t
.TH "JFR" "1" "2025" "JDK 25" "JDK Commands"
.SH NAME
jfr \\- print and manipulate Flight Recorder files
.SH SYNOPSIS
.PP
\\f[V]jfr\\f[R] \\f[V]print\\f[R] [\\f[I]--xml\\f[R]|\\f[I]--json\\f[R]]
ServerName and Alias are words here
Require nothing
`;

const DOCKERFILE = `FROM nginx:1.25
COPY default.conf /etc/nginx/conf.d/default.conf
RUN nginx -t
EXPOSE 80
`;

const SHELL_SCRIPT = `#!/bin/sh
set -e
if [ -n "$NGINX_PORT" ]; then
    sed -i "s/listen 80;/listen $NGINX_PORT;/" /etc/nginx/conf.d/default.conf
fi
exec nginx -g 'daemon off;'
`;

describe('detection: a name, and content that does not contradict it', () => {
  it('takes a file its own name names, even broken or empty', () => {
    assert.equal(detect('/srv/mail/main.cf', ''), 'postfix-main');
    assert.equal(detect('/srv/mail/main.cf', 'mynetworks\n= oops\nrelayhost [mail]\n'), 'postfix-main');
    assert.equal(detect('/etc/nginx/nginx.conf', NGINX_SITE), 'nginx');
    assert.equal(detect('/etc/redis/redis.conf', 'bind 0.0.0.0\nprotected-mode no\n'), 'redis-conf');
  });

  it('refuses a name whose content is something else: program source, a script, markup, another syntax', () => {
    assert.equal(detect('/x/main.cf', PYTHON_REGISTER), undefined);
    assert.equal(detect('/x/nginx.conf', SHELL_SCRIPT), undefined);
    assert.equal(detect('/x/httpd.conf', POM), undefined);
    assert.equal(detect('/x/redis.conf', 'server {\n  listen 80;\n  root /srv;\n}\n'), 'nginx', 'not Redis: its content alone says nginx');
    assert.equal(detect('/x/nginx.conf', APACHE_SITE), 'apache', 'an Apache site named nginx.conf reads as Apache by its content');
  });
});

describe('detection: folder names alone never decide', () => {
  it("takes a file under nginx/ or apache2/ only when its lines are that server's", () => {
    assert.equal(detect('/etc/nginx/sites-available/default', NGINX_SITE), 'nginx');
    assert.equal(
      detect('/etc/nginx/fastcgi_params', 'fastcgi_param  QUERY_STRING  $query_string;\nfastcgi_param  REQUEST_METHOD  $request_method;\n'),
      'nginx',
    );
    assert.equal(detect('/etc/apache2/sites-available/site.conf', APACHE_SITE), 'apache');
    assert.equal(detect('/etc/mysql/conf.d/mysqldump.cnf', '[mysqldump]\nquick\nquote-names\nmax_allowed_packet = 16M\n'), 'mysql-cnf');
  });

  it('never takes what merely sits in such a folder: Dockerfile, pom.xml, scripts, notes, binaries', () => {
    assert.equal(detect('/repo/nginx/Dockerfile', DOCKERFILE), undefined);
    assert.equal(detect('/repo/nginx/Dockerfile.prod', DOCKERFILE), undefined);
    assert.equal(detect('/repo/nginx/Containerfile', DOCKERFILE), undefined);
    assert.equal(detect('/repo/httpd/build', DOCKERFILE), undefined);
    assert.equal(detect('/repo/apache/pom.xml', POM), undefined);
    assert.equal(detect('/home/u/.m2/repository/org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.pom', POM), undefined);
    assert.equal(detect('/usr/share/maven-repo/org/apache/apache/29/apache-29-site.xml', POM), undefined);
    assert.equal(detect('/repo/nginx/entrypoint', SHELL_SCRIPT), undefined);
    assert.equal(detect('/repo/nginx/entrypoint.sh', SHELL_SCRIPT), undefined);
    assert.equal(detect('/repo/nginx/notes', 'Remember to reload nginx after editing.\nAsk ops before changing the upstreams.\n'), undefined);
    assert.equal(detect('/repo/nginx/README', '# nginx\nThe proxy in front of the app.\n'), undefined);
    assert.equal(detect('/usr/lib/nginx/modules/ngx_http_echo_module.so', '\u007fELF\u0002\u0001\u0001\u0000\u0000'), undefined);
    assert.equal(detect('/home/u/.m2/repository/org/apache/ant/ant/1.10.12/ant-1.10.12.jar', 'PK\u0003\u0004\u0000\u0000'), undefined);
    assert.equal(
      detect('/usr/share/doc/nginx/copyright', 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: nginx\n'),
      undefined,
    );
    assert.equal(detect('/repo/roles/nginx/tasks/main.yml', '- name: install nginx\n  apt:\n    name: nginx\n'), undefined);
    assert.equal(detect('/repo/apache2/envvars', 'export APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\n'), undefined);
  });
});

describe('detection: content alone only when unambiguous', () => {
  it('still recognises a renamed server config by its content', () => {
    assert.equal(detect('/backup/site-2019', NGINX_SITE), 'nginx');
    assert.equal(detect('/backup/vhost-old', APACHE_SITE), 'apache');
    assert.equal(detect('/backup/cache.old', 'bind 127.0.0.1\nprotected-mode yes\nsave 900 1\nappendonly no\n'), 'redis-conf');
  });

  it('takes no program source, script, manual, Tcl, tmux or shell completion for a server config', () => {
    assert.equal(detect('/usr/lib/google-cloud-sdk/lib/surface/x/list', PYTHON_WITH_NGINX_WORDS), undefined);
    assert.equal(detect('/usr/lib/google-cloud-sdk/lib/surface/x/list.py', PYTHON_WITH_NGINX_WORDS), undefined);
    assert.equal(detect('/usr/lib/google-cloud-sdk/lib/code/local_files', PYTHON_WITH_MANIFEST), undefined);
    assert.equal(detect('/usr/lib/python3/dist-packages/setuptools/_distutils/command/register', PYTHON_REGISTER), undefined);
    assert.equal(detect('/usr/share/tcltk/tk8.6/button.tcl', TCL_BINDINGS), undefined);
    assert.equal(detect('/usr/share/tcltk/tk8.6/button', TCL_BINDINGS), undefined);
    assert.equal(detect('/usr/share/doc/tmux/example_tmux.conf', TMUX_CONF), undefined);
    assert.equal(detect('/usr/share/bash-completion/completions/hostnamectl', BASH_COMPLETION), undefined);
    assert.equal(detect('/usr/share/cmake-3.25/Modules/CompilerId/VS-7.vcproj.in', VCPROJ), undefined);
    assert.equal(detect('/work/main/node_modules/eslint/lib/rules/eol-last.js', ESLINT_RULE), undefined);
    assert.equal(detect('/work/main/node_modules/eslint/lib/rules/eol-last', ESLINT_RULE), undefined);
    assert.equal(detect('/usr/lib/jvm/temurin-25-jdk-amd64/man/man1/jfr.1', MAN_PAGE), undefined);
    assert.equal(detect('/usr/lib/jvm/temurin-25-jdk-amd64/man/man1/jfr', MAN_PAGE), undefined);
  });

  it('never reads program source for a config, whatever it is called', () => {
    assert.ok(looksLikeSourceCode(PYTHON_REGISTER));
    assert.ok(looksLikeSourceCode(ESLINT_RULE));
    assert.ok(looksLikeSourceCode(SHELL_SCRIPT));
    assert.ok(looksLikeSourceCode(BASH_COMPLETION));
    assert.ok(looksLikeSourceCode(MAN_PAGE));
    for (const config of [NGINX_SITE, APACHE_SITE, '#!/usr/sbin/nft -f\nflush ruleset\n', 'local all postgres peer\nlocal all all peer\n'])
      assert.ok(!looksLikeSourceCode(config), config);
  });
});

describe('detection: templates', () => {
  const JINJA_SITE = `# {{ ansible_managed }}
server {
    listen {{ nginx_port }};
    server_name {{ server_name }};
{% if nginx_ssl %}
    ssl_certificate {{ cert_path }};
{% endif %}
    location / {
        autoindex on;
        proxy_pass http://{{ backend }};
    }
{% for path in denied_paths %}
    location {{ path }} { deny all; }
{% endfor %}
}
`;

  it('reads a Jinja template under roles/nginx/templates as nginx, with no parse warning', async () => {
    const path = '/repo/roles/nginx/templates/site.conf.j2';
    assert.equal(detect(path, JINJA_SITE), 'nginx');
    const { format, findings } = await lint(path, JINJA_SITE);
    assert.equal(format, 'nginx');
    assert.deepEqual(parseWarnings(findings), []);
    // What the template writes for certain is still checked: autoindex on.
    assert.ok(
      findings.some((f) => f.ruleId === 'web/directory-listing-enabled' && JINJA_SITE.slice(f.start, f.end).includes('autoindex')),
      JSON.stringify(findings),
    );
    // Nothing is reported on a template tag, and no fix writes a placeholder back.
    for (const f of findings) {
      assert.ok(!JINJA_SITE.slice(f.start, f.end).includes('{{'), JSON.stringify(f));
      for (const fix of [...(f.fix ? [f.fix] : []), ...f.suggestions]) for (const edit of fix.edits) assert.ok(!/xxxx/.test(edit.newText), edit.newText);
    }
  });

  it('skips a template that still does not parse, with one information finding that says why', async () => {
    const broken = `server {\n{% if a %}\n  location / {\n{% else %}\n  location /x {\n{% endif %}\n    root /srv;\n  }\n`;
    const { format, findings } = await lint('/repo/roles/nginx/templates/nginx.conf.j2', broken);
    assert.equal(format, 'nginx');
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.equal(findings[0]!.ruleId, 'config/parse-problem');
    assert.equal(findings[0]!.severity, 'info');
    assert.match(findings[0]!.message.en, /template/);
    assert.match(findings[0]!.message.ja, /テンプレート/);
    assert.equal(broken.slice(findings[0]!.start, findings[0]!.end), '{% if a %}');
  });

  it('reads Jinja main.cf, ERB Apache and Go-template redis.conf templates by the name they render to', async () => {
    const mainCf = `myhostname = {{ inventory_hostname }}\nmynetworks = 127.0.0.0/8 {% for n in relay_nets %}{{ n }} {% endfor %}\n`;
    assert.equal(detect('/repo/roles/postfix/templates/main.cf.j2', mainCf), 'postfix-main');
    assert.deepEqual(parseWarnings((await lint('/repo/roles/postfix/templates/main.cf.j2', mainCf)).findings), []);

    const vhost = `<VirtualHost *:<%= @port %>>\n  ServerName <%= @servername %>\n<% if @docroot -%>\n  DocumentRoot <%= @docroot %>\n<% end -%>\n</VirtualHost>\n`;
    assert.equal(detect('/repo/modules/apache/templates/vhost.conf.erb', vhost), 'apache');
    assert.deepEqual(parseWarnings((await lint('/repo/modules/apache/templates/vhost.conf.erb', vhost)).findings), []);

    const redis = `bind {{ .Values.bind }}\nport {{ .Values.port }}\n{{- if .Values.password }}\nrequirepass {{ .Values.password }}\n{{- end }}\nappendonly yes\n`;
    assert.equal(detect('/repo/charts/cache/files/redis.conf.tpl', redis), 'redis-conf');
    assert.deepEqual(parseWarnings((await lint('/repo/charts/cache/files/redis.conf.tpl', redis)).findings), []);
  });

  it('gives a Helm manifest template one notice, and reads a Prometheus rule ({{ $labels }} is data) as YAML', async () => {
    const helm = `{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n  type: {{ .Values.service.type }}\n  ports:\n    - port: {{ .Values.port }}\n{{- end }}\n`;
    const helmResult = await lint('/repo/charts/x/templates/service.yaml', helm);
    assert.equal(helmResult.format, 'kubernetes-manifest');
    assert.equal(helmResult.findings.length, 1);
    assert.equal(helmResult.findings[0]!.severity, 'info');

    const rule = `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: redis\nspec:\n  groups:\n    - name: redis\n      rules:\n        - alert: RedisDown\n          annotations:\n            summary: "Redis down on {{ $labels.instance }}{{ if gt $value 1.0 }} (again){{ end }}"\n            description: Instance {{ $labels.instance }} is down\n`;
    assert.equal(scanTemplate(rule, { byName: false, yaml: true }), undefined);
    const ruleResult = await lint('/repo/monitoring/redis-rules.yaml', rule);
    assert.equal(ruleResult.format, 'kubernetes-manifest');
    assert.deepEqual(ruleResult.findings, []);
  });

  it('sets tags aside offset for offset, and does not take Exim, JSON or log formats for templates', () => {
    const text = 'listen {{ port }};\n{% if x %}\nroot /srv;\n{% endif %}\n';
    const scan = scanTemplate(text, { byName: false, yaml: false })!;
    const neutral = neutralise(text, scan);
    assert.equal(neutral.length, text.length);
    assert.equal(neutral, 'listen xxxxxxxxxx;\n          \nroot /srv;\n           \n');
    assert.equal(scanTemplate('condition = ${if and{{def:sender_host_address}{!def:sender_host_name}}}\n', { byName: false, yaml: false }), undefined);
    assert.equal(scanTemplate("log_line_prefix = '<%u%%%d> '\n", { byName: false, yaml: false }), undefined);
    assert.equal(scanTemplate('{"a": {"b": 1}}\n', { byName: false, yaml: false }), undefined);
  });

  it('judges a tag by the quotes of its own line, however many lines without tags come before it', () => {
    // The scan goes straight to the line of the next opener: the quote before `{{ q }}` must still be seen,
    // and the unclosed quotes of the lines before must not carry over (CRLF, LF and CR lines alike).
    const before = 'a "unclosed\r\n'.repeat(500) + "b 'unclosed\n".repeat(500) + 'c "x\r';
    const text = `${before}x = {{ value }}\ny = "{{ q }}" {{ r }}\n`;
    const scan = scanTemplate(text, { byName: false, yaml: false })!;
    assert.deepEqual(
      scan.tags.map((tag) => text.slice(tag.start, tag.end)),
      ['{{ value }}', '{{ r }}'],
    );
    assert.equal(scan.tags[0]!.start, before.length + 4);
    // Openers on many lines, LF lines first and CR lines after them (the line start is looked for backwards
    // only as far as a break is known to lie): every line is judged by its own quotes.
    const mixed = 'a = "{{ q }}" {{ a }}\n'.repeat(300) + 'b = "{{ q }}" {{ b }}\r'.repeat(300) + 'c = {{ c }}\r\n';
    const tags = scanTemplate(mixed, { byName: false, yaml: false })!.tags.map((tag) => mixed.slice(tag.start, tag.end));
    assert.deepEqual(tags, [...Array(300).fill('{{ a }}'), ...Array(300).fill('{{ b }}'), '{{ c }}']);
  });
});

describe('detection: bad input stays cheap', () => {
  it('reads past many XML comments in one pass (a stylesheet in a home folder once hung the audit)', () => {
    const stylesheet = `<?xml version="1.0"?>\n${'<!-- ******************************************** -->\n'.repeat(60)}<xsl:stylesheet version="1.0">\n</xsl:stylesheet>\n`;
    assert.equal(detect('/home/u/.pyenv/lib/python3.11/site-packages/sympy/utilities/mathml/data/mmlctop.xsl', stylesheet), undefined);
    const zone = `<?xml version="1.0" encoding="utf-8"?>\n<!-- a zone -->\n<!-- for tests -->\n<zone>\n  <service name="ssh"/>\n</zone>\n`;
    assert.equal(detect('/srv/backup/public.xml', zone), 'firewalld-zone');
  });

  it('handles unclosed tags, long lines and brace floods without hanging', async () => {
    const floods = [
      '{{'.repeat(200_000),
      '{%'.repeat(200_000),
      '<% '.repeat(150_000),
      `${'{{ x '.repeat(50_000)}}}`,
      `server {\n${' '.repeat(300_000)}x\n`,
      `${'<a '.repeat(100_000)}>\n`,
    ];
    for (const flood of floods) {
      for (const name of ['/x/nginx/site.conf', '/x/site.conf.j2', '/x/values.yaml', '/x/main.cf']) engine.detectFormat(name, flood);
      await lint('/x/site.conf.j2', `server {\n${flood}\n}\n`);
    }
  });
});
