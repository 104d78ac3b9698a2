# tests/sipc_peer.pl -- the other side of shm/sipc1 or shm/sipc2, played from
# outside, so that a test can be a slow peer or one that dies half-way with no
# hook in the lecture programs. tests/shm.bats runs it; by hand:
#     perl tests/sipc_peer.pl client|server KEY TEXT MS [ROUNDS]
#   client: takes the turn, writes TEXT as its request, hands the turn over,
#           prints the reply (as sipc2 does);
#   server: says a server came, prints the request, writes TEXT as its reply,
#           removes the segment, hands the turn over (as sipc1 does).
# It writes TEXT a byte every MS ms and prints "peer: writing" after the first
# one: the window a test stops or kills it in. It waits for its turn without
# sleeping and takes the text in the same copy as the turn word: a writer that
# hands the turn over before its last byte shows there, half-written.
# Each of ROUNDS (default 1) is played in a new segment under KEY (hex), with
# one run of sipc1 or sipc2. It stays attached from its first write to its
# last, as sipc1 and sipc2 do: they count attaches to see that a peer died
# (perl's shmread and shmwrite attach for one call only).
use strict;
use warnings;
use IPC::SysV qw(IPC_CREAT IPC_RMID shmat shmdt memread memwrite);
use POSIX qw(sysconf _SC_PAGESIZE);
use Time::HiRes qw(sleep time);

# shm/sipc.h: int state at 0, int server at 4, char text[256] at 8; the
# turns after SIPC_IDLE (0, a new segment's zero bytes).
my ($WRITING, $REQUEST, $REPLY) = (1, 2, 3);
my ($role, $key, $text, $ms, $rounds) = (@ARGV, 1);
my ($id, $at) = (-1);
$| = 1;

# A segment under KEY as sipc1 and sipc2 make it (one page), made here if
# neither has yet; not the last round's, which its server is removing.
sub attach {
    my $last = $id;
    for (my $until = time + 10; time < $until; sleep 0.001) {
        $id = shmget(hex $key, sysconf(_SC_PAGESIZE), IPC_CREAT | 0600)
            // die "peer: shmget: $!\n";
        next if $id == $last;
        return if defined($at = shmat($id, undef, 0)); # else removed since shmget
    }
    die "peer: no new segment under $key in 10 s\n";
}

sub put { memwrite($at, $_[1], $_[0], length $_[1]) or die "peer: memwrite: $!\n" }

sub write_text {
    my $s = "$text\0";
    for my $i (0 .. length($s) - 1) {
        put(8 + $i, substr($s, $i, 1));
        print "peer: writing\n" if $i == 0;
        sleep $ms / 1000 if $ms;
    }
}

# Spin until the turn is WANT; the text as it was in the same copy.
sub await {
    my ($want, $until) = ($_[0], time + 10);
    while (time < $until) {
        memread($at, my $seg, 0, 8 + 256) or die "peer: memread: $!\n";
        return unpack("Z*", substr($seg, 8)) if unpack("i", $seg) == $want;
    }
    die "peer: no turn $want in 10 s\n";
}

for (1 .. $rounds) {
    attach();
    if ($role eq "client") {
        put(0, pack("i", $WRITING));
        write_text();
        put(0, pack("i", $REQUEST));
        print "peer: reply: ", await($REPLY), "\n";
    } else {
        put(4, pack("i", 1)); # the word "server": a server came
        print "peer: waiting\n";
        print "peer: request: ", await($REQUEST), "\n";
        write_text();
        shmctl($id, IPC_RMID, 0) // die "peer: shmctl: $!\n";
        put(0, pack("i", $REPLY));
    }
    shmdt($at) // die "peer: shmdt: $!\n";
}
