/* Connects to a Unix socket through io_uring (IORING_OP_SOCKET + IORING_OP_CONNECT), without the
 * socket() and connect() system calls a seccomp filter judges. Prints what happened. */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int ring_fd;
static unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
static struct io_uring_sqe *sqes;
static struct io_uring_cqe *cqes;

static int submit(struct io_uring_sqe *template) {
  unsigned tail = *sq_tail, index = tail & *sq_mask;
  sqes[index] = *template;
  sq_array[index] = index;
  __atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
  if (syscall(__NR_io_uring_enter, ring_fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) return -errno;
  unsigned head = __atomic_load_n(cq_head, __ATOMIC_ACQUIRE);
  int result = cqes[head & *cq_mask].res;
  __atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
  return result;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct io_uring_params params;
  memset(&params, 0, sizeof params);
  ring_fd = syscall(__NR_io_uring_setup, 4, &params);
  if (ring_fd < 0) {
    printf("io_uring_setup: %s\n", strerror(errno));
    return 1;
  }
  size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
  size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
  char *sq = mmap(0, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQ_RING);
  char *cq = mmap(0, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_CQ_RING);
  sqes = mmap(0, params.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
    printf("mmap: %s\n", strerror(errno));
    return 1;
  }
  sq_tail = (unsigned *)(sq + params.sq_off.tail);
  sq_mask = (unsigned *)(sq + params.sq_off.ring_mask);
  sq_array = (unsigned *)(sq + params.sq_off.array);
  cq_head = (unsigned *)(cq + params.cq_off.head);
  cq_tail = (unsigned *)(cq + params.cq_off.tail);
  cq_mask = (unsigned *)(cq + params.cq_off.ring_mask);
  cqes = (struct io_uring_cqe *)(cq + params.cq_off.cqes);

  struct io_uring_sqe sqe;
  memset(&sqe, 0, sizeof sqe);
  sqe.opcode = IORING_OP_SOCKET;
  sqe.fd = AF_UNIX;
  sqe.off = SOCK_STREAM;
  int fd = submit(&sqe);
  if (fd < 0) {
    printf("IORING_OP_SOCKET: %s\n", strerror(-fd));
    return 1;
  }
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
  memset(&sqe, 0, sizeof sqe);
  sqe.opcode = IORING_OP_CONNECT;
  sqe.fd = fd;
  sqe.addr = (unsigned long)&address;
  sqe.off = sizeof address;
  int connected = submit(&sqe);
  printf(connected == 0 ? "connected\n" : "IORING_OP_CONNECT: %s\n", strerror(-connected));
  return connected == 0 ? 0 : 1;
}
