// gpu/shaders/vk_nobuf.comp — a kernel that binds no buffer at all.
#version 450
layout(local_size_x = 1) in;
void main() {}
