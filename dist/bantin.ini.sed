# bantin.ini.sed: the installed bantin.ini is conf/bantin.ini, its
# comments and all, with the values a system service takes (make
# install applies this; bantin.ini(5) names them).
# State beside the service's StateDirectory, content in /srv.
s|^state_dir = .*|state_dir = /var/lib/bantin|
s|^root = .*|root = /srv/bantin|
# Every address, and Gopher on its own port.
/^\[gemini\]/,/^\[/ s|^listen = .*|listen = *|
/^\[gopher\]/,/^\[/ s|^listen = .*|listen = *|
/^\[gopher\]/,/^\[/ s|^port = .*|port = 70|
